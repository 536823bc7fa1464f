<#
.SYNOPSIS
    Wall time of Test-JiraProjectAccess over 1,000 projects with -ThrottleLimit 8 against -ThrottleLimit 1,
    with the emulator's burst limiter on and a per-request latency that makes the work I/O-bound, as against
    real Jira. Prints one markdown section (### heading, method, table, target, PASS/FAIL) on standard output.
#>
[CmdletBinding()]
param(
    [int] $Projects = 1000,
    [int] $Runs = 3,
    # Every /rest request is answered this much later (a delay fault): roughly a fast Jira Cloud round trip.
    [int] $LatencyMs = 40,
    # Jira Cloud's documented burst limit for GET and POST: 100 requests per second per endpoint.
    [int] $BurstLimit = 100,
    # A tighter limit for a second, informational row in which the limiter answers 429 all the time.
    [int] $TightBurstLimit = 40,
    [double] $Target = 4.0
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$root = Resolve-Path (Join-Path $PSScriptRoot '../..')
Import-Module (Join-Path $root 'tests/Pester/TestHelpers.psm1') -Force
Import-Module (Get-JiraConnectModulePath) -Force

function Measure-Audit {
    param([int] $ThrottleLimit)
    Clear-EmulatorRequest $script:Emulator
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $results = @(Test-JiraProjectAccess -Session bench -ThrottleLimit $ThrottleLimit)
    $clock.Stop()
    $unique = @($results.ProjectKey | Sort-Object -Unique).Count
    if ($results.Count -ne $Projects -or $unique -ne $Projects) { throw "ThrottleLimit $ThrottleLimit reported $($results.Count) results for $unique projects, not $Projects." }
    $limited = @((Get-EmulatorRequest $script:Emulator) | Where-Object status -eq 429).Count
    [pscustomobject]@{ Seconds = $clock.Elapsed.TotalSeconds; Limited = $limited }
}

$script:Emulator = Start-JiraEmulator -Flavor cloud -Projects $Projects -BurstLimit $BurstLimit
try {
    $null = Add-EmulatorFault $script:Emulator -Kind delay -DelayMs $LatencyMs -Times -1
    $null = Connect-JiraSite -Url $script:Emulator.Url -Credential (Get-CloudAdminCredential) -Name bench
    $null = Test-JiraProjectAccess -Session bench -ProjectKey DEV, FIN   # warm-up: JIT, connections

    $baseline = @(); $parallel = @(); $tight = @()
    for ($run = 0; $run -lt $Runs; $run++) {
        $parallel += Measure-Audit -ThrottleLimit 8
        $baseline += Measure-Audit -ThrottleLimit 1
    }
    $null = Set-EmulatorSetting $script:Emulator -BurstLimit $TightBurstLimit
    $tight += Measure-Audit -ThrottleLimit 8
}
finally {
    Get-JiraSession | Disconnect-JiraSite
    $script:Emulator | Stop-JiraEmulator
}

$base = Get-Median $baseline.Seconds
$rows = @(
    @{ Case = 'baseline'; Throttle = 1; Limit = $BurstLimit; Samples = $baseline }
    @{ Case = 'parallel'; Throttle = 8; Limit = $BurstLimit; Samples = $parallel }
    @{ Case = 'parallel, tight limit (informational)'; Throttle = 8; Limit = $TightBurstLimit; Samples = $tight }
)
$ratio = $base / (Get-Median $parallel.Seconds)
$verdict = if ($ratio -ge $Target) { 'PASS' } else { 'FAIL' }
$cores = [Environment]::ProcessorCount
$culture = [Globalization.CultureInfo]::InvariantCulture

$lines = @(
    "### Project access audit: $Projects projects, -ThrottleLimit 8 vs 1"
    ''
    "Method: ``Test-JiraProjectAccess`` (session account, default permissions and Administrators role: one ``mypermissions`` and one role-actors request per project, plus the project listing) against the Atlassian emulator (Jira Cloud flavor, $Projects projects) on 127.0.0.1, on $cores cores shared by client and emulator. Every REST request is answered $LatencyMs ms late (a delay fault on /rest), so the work is I/O-bound as against a real site; the emulator's burst limiter answers 429 with Retry-After (whole seconds) above $BurstLimit requests per second per endpoint, Jira Cloud's documented GET limit. Wall time per audit: $Runs runs each of the first two cases, interleaved, and one of the informational case; median shown. Every run reported each project exactly once."
    ''
    '| Case | ThrottleLimit | Burst limit (req/s per endpoint) | Median (s) | Runs (s) | 429 answers per run | Ratio vs baseline |'
    '| --- | ---: | ---: | ---: | --- | --- | ---: |'
)
foreach ($row in $rows) {
    $median = Get-Median $row.Samples.Seconds
    $runsText = ($row.Samples.Seconds | ForEach-Object { $_.ToString('0.0', $culture) }) -join ', '
    $limitedText = ($row.Samples.Limited | ForEach-Object { "$_" }) -join ', '
    $lines += "| $($row.Case) | $($row.Throttle) | $($row.Limit) | $($median.ToString('0.0', $culture)) | $runsText | $limitedText | $(($base / $median).ToString('0.0', $culture))x |"
}
$lines += ''
$lines += "Target: -ThrottleLimit 8 at least $($Target.ToString('0.0', $culture))x faster than -ThrottleLimit 1 at the documented limit: $($ratio.ToString('0.0', $culture))x, **$verdict**."
$lines += ''
$lines += "Each 429 pauses every request of the session for the Retry-After time (one shared pause, not one per worker). While the limit is hit steadily (the tight row), a burst of requests is followed by a one-second pause, so the speed-up is bounded by 8 / (1 + r/L) for an unlimited rate r and a limit L, below 4x; under the documented limit eight workers at this latency stay near or below it, and 429s are occasional."
$lines -join "`n"
