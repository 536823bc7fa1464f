<#
.SYNOPSIS
    OAuth benchmark: the cost of a call through the API gateway with an OAuth token, and of a call that first
    refreshes the token and writes the rotated grant to the token cache, against a Basic Auth call measured in the
    same run. Prints one markdown section.
#>
[CmdletBinding()]
param([int] $Iterations = 40)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../Pester/TestHelpers.psm1') -Force
Import-Module (Get-JiraConnectModulePath) -Force

function Measure-Median([scriptblock] $Call, [int] $Count) {
    & $Call | Out-Null   # warm-up
    $times = foreach ($i in 1..$Count) {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        & $Call | Out-Null
        $clock.Elapsed.TotalMilliseconds
    }
    Get-Median $times
}

$emulator = Start-JiraEmulator -Flavor cloud -Projects 25
$work = Join-Path ([System.IO.Path]::GetTempPath()) ("jiraconnect-bench-" + [guid]::NewGuid().ToString('n'))
$saved = $env:BROWSER
try {
    $null = New-Item -ItemType Directory -Path $work
    $null = Connect-JiraSite -Url $emulator.Url -Credential (Get-CloudAdminCredential) -Name basic
    $app = Register-EmulatorOAuthApp $emulator
    $env:BROWSER = Get-ConsentBrowserCommand
    $scopes = 'read:jira-work', 'read:jira-user', 'offline_access'
    $token = Invoke-JiraOAuthConsent -ClientCredential $app.Credential -RedirectUri $app.RedirectUri -Scope $scopes -Environment $emulator.Url 6>$null
    $null = Connect-JiraSite -OAuthToken $token -Name oauth

    $null = Set-EmulatorOAuthSetting $emulator -AccessTokenLifetimeSeconds 120
    $short = Invoke-JiraOAuthConsent -ClientCredential $app.Credential -RedirectUri $app.RedirectUri -Scope $scopes -Environment $emulator.Url -TokenCachePath (Join-Path $work 'bench.json') 6>$null
    $null = Connect-JiraSite -OAuthToken $short -Name refreshing

    $basic = Measure-Median { Invoke-JiraRestMethod project/search -Query @{ maxResults = 10 } -Session basic } $Iterations
    $oauth = Measure-Median { Invoke-JiraRestMethod project/search -Query @{ maxResults = 10 } -Session oauth } $Iterations
    $before = $short.RefreshCount
    $refreshing = Measure-Median { Invoke-JiraRestMethod project/search -Query @{ maxResults = 10 } -Session refreshing } $Iterations
    $refreshes = $short.RefreshCount - $before

    $gatewayRatio = $oauth / $basic
    $refreshCost = $refreshing - $oauth
    $gatewayPass = $gatewayRatio -le 1.5
    $refreshPass = $refreshCost -le 50 -and $refreshes -ge $Iterations
    $f = { param($v) $v.ToString('0.00', [cultureinfo]::InvariantCulture) }
    @"
### OAuth 2.0: calls through the API gateway, and refresh with a persisted rotation

Method: one PowerShell process, the built module against the emulator on 127.0.0.1; each row is the median of
$Iterations calls of ``Invoke-JiraRestMethod project/search -Query @{ maxResults = 10 }`` after one warm-up call.
Baseline: the same call with Basic auth on the site URL, measured in the same run. "Refresh every call": access
tokens live 120 s, less than the 5-minute refresh margin, so each call first refreshes the token (rotating the
refresh token) and writes the grant atomically to a token cache file before it calls ($refreshes refreshes seen).

| case | median ms | ratio to baseline |
| --- | ---: | ---: |
| Basic auth, site URL (baseline) | $(& $f $basic) | 1.00 |
| OAuth token, API gateway | $(& $f $oauth) | $(& $f $gatewayRatio) |
| OAuth token, refresh + cache write every call | $(& $f $refreshing) | $(& $f ($refreshing / $basic)) |

Targets: gateway call within 1.5x of the baseline — $(if ($gatewayPass) { 'PASS' } else { 'FAIL' }); refresh with the
persisted rotation adds at most 50 ms per call ($(& $f $refreshCost) ms) — $(if ($refreshPass) { 'PASS' } else { 'FAIL' }).
"@
}
finally {
    $env:BROWSER = $saved
    Get-JiraSession | Disconnect-JiraSite
    $emulator | Stop-JiraEmulator
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
