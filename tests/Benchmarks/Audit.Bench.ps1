<#
.SYNOPSIS
    Wall time and request count of Test-JiraProjectAccess at Jira's real latency and burst limit: Cloud's bulk
    permission check (1,000 projects a request, the role read only where a project is not ready) against the
    per-project path (mypermissions and the role's actors for every project, as the audit did before), measured
    in the same run; 5,000 Cloud projects; and Data Center's requests per project. Prints one markdown section
    (### heading, method, tables, targets, PASS/FAIL) on standard output.
#>
[CmdletBinding()]
param(
    [int] $Projects = 1000,
    [int] $LargeProjects = 5000,
    [int] $Runs = 3,
    # Every /rest request is answered this much later (a delay fault): roughly a fast Jira Cloud round trip.
    [int] $LatencyMs = 40,
    # Jira Cloud's documented burst limit for GET and POST: 100 requests per second per endpoint.
    [int] $BurstLimit = 100,
    # Share of projects made not ready for the second case.
    [double] $NotReadyShare = 0.1,
    [double] $TargetSeconds = 1.5,
    [int] $TargetRequests = 30,
    [double] $TargetRequestsPerProjectDataCenter = 1.05
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$root = Resolve-Path (Join-Path $PSScriptRoot '../..')
Import-Module (Join-Path $root 'tests/Pester/TestHelpers.psm1') -Force
Import-Module (Get-JiraConnectModulePath) -Force
$culture = [Globalization.CultureInfo]::InvariantCulture

function Measure-Audit {
    # One audit of every project; the wall time, the requests the emulator saw, and how many it answered 429.
    param($Emulator, [string] $Session, [int] $Expected, [hashtable] $Arguments = @{})
    Clear-EmulatorRequest $Emulator
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $results = @(Test-JiraProjectAccess -Session $Session @Arguments)
    $clock.Stop()
    $unique = @($results.ProjectKey | Sort-Object -Unique).Count
    if ($results.Count -ne $Expected -or $unique -ne $Expected) { throw "The audit reported $($results.Count) results for $unique projects, not $Expected." }
    $log = @((Get-EmulatorRequest $Emulator) | Where-Object { $_.path -like '/rest/*' })
    [pscustomobject]@{
        Seconds  = $clock.Elapsed.TotalSeconds
        Requests = $log.Count
        Limited  = @($log | Where-Object status -eq 429).Count
        NotReady = @($results | Where-Object { -not $_.Ready }).Count
    }
}

function Set-Conditions {
    # Latency and burst limit on, or both off (to prepare the site quickly).
    param($Emulator, [switch] $Off, [int] $Limit = $BurstLimit)
    if ($Off) {
        $null = Invoke-EmulatorAdmin $Emulator 'faults' -Method DELETE
        $null = Set-EmulatorSetting $Emulator -BurstLimit 0
    }
    else {
        $null = Add-EmulatorFault $Emulator -Kind delay -DelayMs $LatencyMs -Times -1
        $null = Set-EmulatorSetting $Emulator -BurstLimit $Limit
    }
}

function Initialize-ReadySite {
    # Adds the account to the Administrators role wherever it lacks something, so every project is ready; returns
    # the keys of the projects whose permissions come only from that role.
    param([string] $Session)
    $notReady = @(Test-JiraProjectAccess -Session $Session -RequireRole Administrators -ThrottleLimit 8 | Where-Object { -not $_.Ready })
    $null = $notReady | Add-JiraProjectRoleActor -Session $Session
    @($notReady | Where-Object { @($_.Missing | Where-Object { $_ -notlike 'Role:*' }).Count -gt 0 } | ForEach-Object ProjectKey | Sort-Object)
}

$perProject = @{ PerProject = $true; RequireRole = 'Administrators' }   # the audit as it was: both requests for every project
$rows = [System.Collections.Generic.List[object]]::new()
function Add-Row([string] $Case, [string] $Path, $Samples, [int] $ProjectCount) {
    $rows.Add([pscustomobject]@{ Case = $Case; Path = $Path; Projects = $ProjectCount; Samples = @($Samples) })
}

# Cloud, 1,000 projects.
$cloud = Start-JiraEmulator -Flavor cloud -Projects $Projects
try {
    $null = Connect-JiraSite -Url $cloud.Url -Credential (Get-CloudAdminCredential) -Name bench
    $roleOnly = Initialize-ReadySite -Session bench
    $null = Test-JiraProjectAccess -Session bench -ProjectKey DEV, FIN   # warm-up: JIT, connections
    Set-Conditions $cloud
    $bulkReady = @(); $oldReady = @(); $required = @()
    for ($run = 0; $run -lt $Runs; $run++) {
        $bulkReady += Measure-Audit $cloud bench $Projects
        $oldReady += Measure-Audit $cloud bench $Projects $perProject
        $required += Measure-Audit $cloud bench $Projects @{ RequireRole = 'Administrators'; ThrottleLimit = 8 }
    }
    Add-Row 'every project ready, default audit' 'bulk' $bulkReady $Projects
    Add-Row 'every project ready, per-project path (baseline)' 'per-project' $oldReady $Projects
    Add-Row '-RequireRole Administrators, -ThrottleLimit 8' 'bulk + roles' $required $Projects

    # Make a share of the projects not ready again: out of the role that grants their permissions.
    Set-Conditions $cloud -Off
    $count = [int][Math]::Round($Projects * $NotReadyShare)
    if ($roleOnly.Count -lt $count) { throw "Only $($roleOnly.Count) projects can be made not ready, not $count." }
    $null = Remove-JiraProjectRoleActor -Session bench -ProjectKey ($roleOnly | Select-Object -First $count) -Confirm:$false
    Set-Conditions $cloud
    $bulkSome = @(); $oldSome = @()
    for ($run = 0; $run -lt $Runs; $run++) {
        $bulkSome += Measure-Audit $cloud bench $Projects
        if ($run -eq 0) { $oldSome += Measure-Audit $cloud bench $Projects $perProject }
    }
    Add-Row "$([int]($NotReadyShare * 100))% not ready, default audit" 'bulk' $bulkSome $Projects
    Add-Row "$([int]($NotReadyShare * 100))% not ready, per-project path (baseline)" 'per-project' $oldSome $Projects
}
finally {
    Get-JiraSession | Disconnect-JiraSite
    $cloud | Stop-JiraEmulator
}

# Cloud, 5,000 projects: the same default audit.
$large = Start-JiraEmulator -Flavor cloud -Projects $LargeProjects
try {
    $null = Connect-JiraSite -Url $large.Url -Credential (Get-CloudAdminCredential) -Name bench
    $null = Initialize-ReadySite -Session bench
    $null = Test-JiraProjectAccess -Session bench -ProjectKey DEV, FIN
    Set-Conditions $large
    $bulkLarge = @()
    for ($run = 0; $run -lt $Runs; $run++) { $bulkLarge += Measure-Audit $large bench $LargeProjects }
    Add-Row 'every project ready, default audit' 'bulk' $bulkLarge $LargeProjects
}
finally {
    Get-JiraSession | Disconnect-JiraSite
    $large | Stop-JiraEmulator
}

# Data Center, 1,000 projects: no bulk check, one filtered mypermissions a project.
$dc = Start-JiraEmulator -Flavor datacenter -Projects $Projects
try {
    $null = Connect-JiraSite -Url $dc.Url -PersonalAccessToken (ConvertTo-SecureString (Get-TestSecret DataCenterAdminPat) -AsPlainText -Force) -Name bench
    $null = Initialize-ReadySite -Session bench
    $null = Test-JiraProjectAccess -Session bench -ProjectKey DEV, FIN
    Set-Conditions $dc -Limit 0
    $dcNew = @(Measure-Audit $dc bench $Projects)
    $dcOld = @(Measure-Audit $dc bench $Projects @{ RequireRole = 'Administrators' })
    Add-Row 'Data Center, every project ready, default audit' 'mypermissions' $dcNew $Projects
    Add-Row 'Data Center, every project ready, with the role (baseline)' 'mypermissions + roles' $dcOld $Projects
}
finally {
    Get-JiraSession | Disconnect-JiraSite
    $dc | Stop-JiraEmulator
}

$median = @{}
foreach ($row in $rows) { $median[$row.Case + '|' + $row.Projects] = Get-Median $row.Samples.Seconds }
$fast = Get-Median $bulkReady.Seconds
$baseline = Get-Median $oldReady.Seconds
$fastRequests = Get-Median $bulkReady.Requests
$some = Get-Median $bulkSome.Seconds
$someRatio = $some / $fast
$requiredRatio = (Get-Median $required.Seconds) / $baseline
$largeRatio = (Get-Median $bulkLarge.Seconds) / $fast
$dcPerProject = $dcNew[0].Requests / $Projects
$checks = @(
    @{ Text = "default audit, every project ready: median $($fast.ToString('0.00', $culture)) s (at most $($TargetSeconds.ToString('0.0', $culture)) s) and $fastRequests requests (at most $TargetRequests)"; Ok = $fast -le $TargetSeconds -and $fastRequests -le $TargetRequests }
    @{ Text = "$([int]($NotReadyShare * 100))% not ready: median $($some.ToString('0.00', $culture)) s (at most 1.5x the all-ready target of $($TargetSeconds.ToString('0.0', $culture)) s, $((1.5 * $TargetSeconds).ToString('0.00', $culture)) s); $($someRatio.ToString('0.00', $culture))x the measured all-ready time, the role read of each project that is not ready making the difference"; Ok = $some -le 1.5 * $TargetSeconds }
    @{ Text = "-RequireRole Administrators at -ThrottleLimit 8: $($requiredRatio.ToString('0.00', $culture))x the per-project baseline's time (at most 1.0x, within noise), $((Get-Median $required.Limited)) 429 answers a run"; Ok = $requiredRatio -le 1.1 }
    @{ Text = "$LargeProjects projects: $($largeRatio.ToString('0.0', $culture))x the $Projects-project time (linear: about $($LargeProjects / $Projects)x), $((Get-Median $bulkLarge.Limited)) 429 answers a run"; Ok = $largeRatio -le ($LargeProjects / $Projects) * 1.5 }
    @{ Text = "Data Center: $($dcPerProject.ToString('0.000', $culture)) requests per project (at most $($TargetRequestsPerProjectDataCenter.ToString('0.00', $culture)))"; Ok = $dcPerProject -le $TargetRequestsPerProjectDataCenter }
)
$cores = [Environment]::ProcessorCount
$lines = @(
    "### Project access audit: bulk permission check vs per-project, $Projects and $LargeProjects projects"
    ''
    "Method: ``Test-JiraProjectAccess`` (session account, default permissions) against the Atlassian emulator on 127.0.0.1, on $cores cores shared by client and emulator. Every REST request is answered $LatencyMs ms late (a delay fault on /rest), and on Cloud the emulator's burst limiter answers 429 with Retry-After above $BurstLimit requests per second per endpoint, Jira Cloud's documented limit. Before measuring, the account is added to the Administrators role wherever it lacked something, so every project is ready; for the second case it is taken out of the role again in $([int]($NotReadyShare * 100))% of the projects (those whose permissions come only from the role). *bulk*: the default audit (one ``POST permissions/check`` per 1,000 projects, the role's actors read only where a project is not ready). *per-project* (the baseline, the audit as it was, forced with ``-PerProject -RequireRole Administrators``): ``mypermissions`` and the role's actors for every project. *bulk + roles*: ``-RequireRole Administrators``, whose 1,000 role reads go to one endpoint: once the emulator says it is near the limit (X-RateLimit-NearLimit), the session paces them to $BurstLimit a second (a floor of $([Math]::Round($Projects / $BurstLimit)) s), as it does any endpoint near its limit, the baseline's included. Requests: every /rest request the emulator saw during the audit, the listing included. $Runs runs of each Cloud case with ``bulk`` in its path and of the first baseline (interleaved), one of the second baseline and of each Data Center case; median shown. Every run reported each project exactly once."
    ''
    '| Case | Projects | Path | Median (s) | Runs (s) | Requests (median) | 429 answers per run | Not ready | Time vs per-project baseline |'
    '| --- | ---: | --- | ---: | --- | ---: | --- | ---: | ---: |'
)
foreach ($row in $rows) {
    $m = Get-Median $row.Samples.Seconds
    $runsText = ($row.Samples.Seconds | ForEach-Object { $_.ToString('0.00', $culture) }) -join ', '
    $limitedText = ($row.Samples.Limited | ForEach-Object { "$_" }) -join ', '
    $vs = if ($row.Case -like 'Data Center*') { '' } else { ($m / $baseline).ToString('0.00', $culture) + 'x' }
    $lines += "| $($row.Case) | $($row.Projects) | $($row.Path) | $($m.ToString('0.00', $culture)) | $runsText | $(Get-Median $row.Samples.Requests) | $limitedText | $($row.Samples[0].NotReady) | $vs |"
}
$lines += ''
$lines += 'Targets:'
$lines += ''
foreach ($check in $checks) { $lines += "- $($check.Text): **$(if ($check.Ok) { 'PASS' } else { 'FAIL' })**" }
$lines += ''
$lines += "Data Center has no bulk check: one ``mypermissions`` (with the permission filter) a project, plus the listing, against $(($dcOld[0].Requests / $Projects).ToString('0.000', $culture)) requests per project when the role is read everywhere."
$lines -join "`n"
