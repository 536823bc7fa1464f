<#
.SYNOPSIS
    Webhook listener throughput and latency: 2,000 deliveries at 64 in parallel, against a bare HTTP responder
    measured in the same run.
.DESCRIPTION
    Sends admin-webhook bodies (the built-in sample, Bearer token, X-Hub-Signature) with Send-JiraTestWebhook -Count 2000
    -ThrottleLimit 64, one TCP connection per request as Jira opens them, into
      - the baseline: a bare responder that reads each request and answers 200 without checking or keeping anything;
      - the JiraConnect listener: Bearer token and HMAC verified, every delivery kept and deduplicated.
    Runs alternate, five of each; the table shows medians. Each listener run must receive all 2,000 deliveries exactly
    once. Prints one markdown section to standard output.
#>
[CmdletBinding()]
param([int] $Count = 2000, [int] $ThrottleLimit = 64, [int] $Runs = 5)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module (Join-Path $PSScriptRoot '../Pester/TestHelpers.psm1') -Force
Import-Module (Get-JiraConnectModulePath) -Force

$token = ConvertTo-SecureString (Get-TestSecret ListenerToken) -AsPlainText -Force
$secret = ConvertTo-SecureString (Get-TestSecret WebhookSecret) -AsPlainText -Force

function Measure-Burst([Uri] $Uri) {
    Send-JiraTestWebhook -Uri $Uri -Token $token -Secret $secret -Body SystemWebhook -Count $Count -ThrottleLimit $ThrottleLimit
}

# Warm up both paths (JIT, sockets) before measuring.
$baselineServer = Start-WebhookTestServer -Status 200
$listener = Start-JiraWebhookListener -Token $token -Secret $secret
$null = Measure-Burst $baselineServer.Url
$null = Measure-Burst $listener.Url
$null = Receive-JiraWebhook -Listener $listener -Count $Count -TimeoutSec 60
$listener | Stop-JiraWebhookListener

$baseline = @(); $measured = @(); $exactlyOnce = 0
for ($run = 1; $run -le $Runs; $run++) {
    $baseline += Measure-Burst $baselineServer.Url

    $listener = Start-JiraWebhookListener -Token $token -Secret $secret
    $burst = Measure-Burst $listener.Url
    $deliveries = @(Receive-JiraWebhook -Listener $listener -Count $Count -TimeoutSec 60)
    $unique = [System.Collections.Generic.HashSet[string]]::new([string[]]@($deliveries.WebhookIdentifier))
    $verified = @($deliveries | Where-Object { $_.Accepted -and $_.TokenValid -and $_.SignatureValid }).Count
    if ($burst.Succeeded -eq $Count -and $deliveries.Count -eq $Count -and $unique.Count -eq $Count -and $verified -eq $Count -and $listener.DuplicateCount -eq 0) { $exactlyOnce++ }
    $listener | Stop-JiraWebhookListener
    $measured += $burst
}
$baselineServer.Dispose()

$baseRate = Get-Median ($baseline | ForEach-Object DeliveriesPerSecond)
$rate = Get-Median ($measured | ForEach-Object DeliveriesPerSecond)
$baseP50 = Get-Median ($baseline | ForEach-Object { $_.LatencyP50.TotalMilliseconds })
$baseP99 = Get-Median ($baseline | ForEach-Object { $_.LatencyP99.TotalMilliseconds })
$p50 = Get-Median ($measured | ForEach-Object { $_.LatencyP50.TotalMilliseconds })
$p99 = Get-Median ($measured | ForEach-Object { $_.LatencyP99.TotalMilliseconds })
$baseFailed = ($baseline | Measure-Object Failed -Sum).Sum
$ratio = $rate / $baseRate

$targetRate = 500; $targetP99 = 1000; $targetRatio = 0.5
$pass = $exactlyOnce -eq $Runs -and $rate -ge $targetRate -and $p99 -le $targetP99 -and $ratio -ge $targetRatio -and $baseFailed -eq 0
$culture = [System.Globalization.CultureInfo]::InvariantCulture
$bodyKb = (New-JiraWebhookPayload -Format SystemWebhook).Length / 1024
function F([double] $Value, [string] $Format = 'N0') { $Value.ToString($Format, $culture) }

@"
### Webhook listener: $(F $Count) deliveries at $ThrottleLimit in parallel

Method: ``Send-JiraTestWebhook -Body SystemWebhook -Count $Count -ThrottleLimit $ThrottleLimit`` (admin-webhook body of
$(F $bodyKb 'N1') KiB with a Bearer token and an X-Hub-Signature; one TCP connection per request, as Jira opens them) on 127.0.0.1, into
a bare responder that reads each request and answers 200 (baseline), and into ``Start-JiraWebhookListener -Token -Secret``,
which verifies the token and the HMAC, keeps and deduplicates every delivery. $Runs runs of each, alternating, after a
warm-up; medians. Latency is the sender's time from opening the connection to the end of the answer. "Received exactly once": runs in
which ``Receive-JiraWebhook`` returned all $(F $Count) deliveries, each identifier once, all verified.

| Receiver | Deliveries/s | p50 latency | p99 latency | Received exactly once |
| --- | ---: | ---: | ---: | --- |
| Bare responder (baseline) | $(F $baseRate) | $(F $baseP50 'N1') ms | $(F $baseP99 'N1') ms | n/a |
| JiraConnect listener | $(F $rate) | $(F $p50 'N1') ms | $(F $p99 'N1') ms | $exactlyOnce of $Runs runs |
| Ratio listener / baseline | $(F $ratio 'N2') | $(F ($p50 / [Math]::Max($baseP50, 0.001)) 'N2') | $(F ($p99 / [Math]::Max($baseP99, 0.001)) 'N2') | |

Target: every run receives every delivery exactly once; at least $targetRate deliveries/s; p99 at most $(F $targetP99) ms
(Jira allows 20 s); throughput at least $targetRatio of the baseline's. Result: **$(if ($pass) { 'PASS' } else { 'FAIL' })**
"@
