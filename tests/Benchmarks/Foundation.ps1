#requires -Version 7.0
<#
.SYNOPSIS
    Measures JiraConnect against its performance targets and writes docs/performance.md.
.DESCRIPTION
    Three figures, each with its baseline measured in the same run, reported as medians and ratios
    (never single timings, because machines are noisy):

    1. Import overhead: fresh `pwsh -NoProfile -NonInteractive -Command 'exit'` processes against fresh
       `... -Command 'Import-Module <psd1>; exit'` processes, run alternately; the difference of the
       median wall-clock times. Target: under 100 ms. The import of an empty manifest module is
       measured alongside, as the floor that PowerShell charges any module. Measured on two builds of
       the same PowerShell: the .NET tool that runs this script (IL only) and a copy compiled
       ReadyToRun by ReadyToRunPowerShell/ (as PowerShell's platform packages are).
    2. Listing: `Get-JiraProject | Out-Null` over 10,000 emulator projects in one warmed-up pwsh
       process, against tests/Benchmarks/Baseline (a plain HttpClient + System.Text.Json program that
       fetches the same pages). Both run as long-lived processes and are stepped alternately, one
       timed listing at a time, so they share the machine's noise. Target: median within 1.2x.
    3. Peak memory: fresh pwsh processes that run `Get-JiraProject | Measure-Object` over 100,000 and
       over 1,000 projects (alternately) and report the process peak working set (VmHWM on Linux).
       Target: the 100,000 median within 1.5x of the 1,000 median.

    Needs the built module (out/JiraConnect) and emulator (`build.ps1 -Task Build`); builds the
    baseline itself. Exits 0 when the run completed, even if a target was missed (the document says
    FAIL); non-zero only when the benchmark itself broke.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Bench
.EXAMPLE
    dotnet pwsh ./tests/Benchmarks/Foundation.ps1 -Iterations 5 -ImportRuns 9 -MemoryRuns 1
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    # Timed listings of the module and of the baseline (each), after the warm-up.
    [ValidateRange(1, 1000)]
    [int] $Iterations = 31,
    # Warm-up of each listing process: at least -Warmup listings and -WarmupSeconds, then on until the
    # JIT has compiled (almost) nothing during three listings in a row, up to -MaxWarmup listings.
    [ValidateRange(0, 10000)]
    [int] $Warmup = 40,
    [ValidateRange(0, 600)]
    [double] $WarmupSeconds = 5,
    [ValidateRange(0, 10000)]
    [int] $MaxWarmup = 200,
    # Fresh processes per variant for the import overhead.
    [ValidateRange(1, 1000)]
    [int] $ImportRuns = 15,
    # Fresh processes per project count for the peak memory.
    [ValidateRange(1, 100)]
    [int] $MemoryRuns = 3,
    [ValidateRange(1, 1000000)]
    [int] $ListingProjects = 10000,
    [ValidateRange(1, 1000000)]
    [int] $MemorySmallProjects = 1000,
    [ValidateRange(1, 1000000)]
    [int] $MemoryLargeProjects = 100000,
    # Where the report goes (default: docs/performance.md in the repository).
    [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$ProgressPreference = 'SilentlyContinue'

$Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
Import-Module (Join-Path $PSScriptRoot '../Pester/TestHelpers.psm1') -Force
if (-not $OutputPath) { $OutputPath = Join-Path $Root 'docs/performance.md' }
$ModulePath = Join-Path $Root 'out/JiraConnect/JiraConnect.psd1'
$EmulatorDll = Join-Path $Root "tests/AtlassianEmulator/bin/$Configuration/net10.0/AtlassianEmulator.dll"
$BaselineProject = Join-Path $PSScriptRoot 'Baseline/Baseline.csproj'
$BaselineDll = Join-Path $PSScriptRoot "Baseline/bin/$Configuration/net10.0/Baseline.dll"
$ReadyToRunProject = Join-Path $PSScriptRoot 'ReadyToRunPowerShell/ReadyToRunPowerShell.csproj'
$ListingScript = Join-Path $PSScriptRoot 'Scenarios/Listing.ps1'
$MemoryScript = Join-Path $PSScriptRoot 'Scenarios/Memory.ps1'

# The emulator's Jira Cloud administrator.
$EmulatorUser = 'admin@example.com'
$EmulatorToken = Get-TestSecret CloudAdminToken

# Timeouts (seconds) for a child to say it is ready or to finish one step.
$ReadyTimeout = 120
$WarmupTimeout = 600
$StepTimeout = 300

# Quiet, comparable child processes: no telemetry or update check in any of them.
$env:POWERSHELL_TELEMETRY_OPTOUT = '1'
$env:POWERSHELL_UPDATECHECK = 'Off'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

$Invariant = [cultureinfo]::InvariantCulture

#region Helpers

function Format-Number {
    param([double] $Value, [string] $Format = 'N1')
    $Value.ToString($Format, $Invariant)
}

function Format-Signed {
    param([double] $Value, [string] $Format = 'N0')
    $text = Format-Number $Value $Format
    if ($Value -ge 0) { "+$text" } else { $text }
}

function Format-MiB {
    param([double] $Bytes)
    (Format-Number ($Bytes / 1MB) 'N1') + ' MiB'
}

# Starts a child with redirected stdout/stderr (and stdin when -Interactive); stderr is drained in the
# background so a chatty child never blocks on a full pipe.
function Start-Child {
    # -Environment: variables to set for the child; a $null value removes the variable.
    param([string] $FilePath, [string[]] $ArgumentList, [switch] $Interactive, [hashtable] $Environment)
    $info = [System.Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($argument in $ArgumentList) { $info.ArgumentList.Add($argument) }
    if ($Environment) {
        foreach ($name in $Environment.Keys) {
            if ($null -eq $Environment[$name]) { $null = $info.Environment.Remove($name) } else { $info.Environment[$name] = $Environment[$name] }
        }
    }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.RedirectStandardInput = $true
    $info.WorkingDirectory = $Root
    $process = [System.Diagnostics.Process]::Start($info)
    if (-not $Interactive) { $process.StandardInput.Close() }
    [pscustomobject]@{
        Name    = [System.IO.Path]::GetFileName(@($ArgumentList)[0])
        Process = $process
        Stderr  = $process.StandardError.ReadToEndAsync()
        Stopped = $false
    }
}

function Get-ChildError {
    param($Child)
    if ($Child.Process.HasExited -and $Child.Stderr.Wait(2000)) { return $Child.Stderr.Result.Trim() }
    ''
}

# Reads stdout lines until one matches $Pattern, or throws when the deadline passes or the child exits.
function Read-ChildLine {
    param($Child, [string] $Pattern, [int] $TimeoutSeconds, [string] $Waiting)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ($true) {
        $left = $deadline - [DateTime]::UtcNow
        if ($left -le [TimeSpan]::Zero) { throw "Timed out after $TimeoutSeconds s waiting for $Waiting." }
        $read = $Child.Process.StandardOutput.ReadLineAsync()
        if (-not $read.Wait($left)) { throw "Timed out after $TimeoutSeconds s waiting for $Waiting." }
        $line = $read.Result
        if ($null -eq $line) {
            $null = $Child.Process.WaitForExit(5000)
            $code = if ($Child.Process.HasExited) { $Child.Process.ExitCode } else { '?' }
            throw "The child process exited (code $code) while waiting for $Waiting. $(Get-ChildError $Child)"
        }
        if ($line -match $Pattern) { return $Matches }
    }
}

function Stop-Child {
    param($Child)
    if (-not $Child -or -not $Child.Process -or $Child.Stopped) { return }
    $Child.Stopped = $true
    try {
        if (-not $Child.Process.HasExited) {
            try { $Child.Process.StandardInput.Close() } catch { Write-Verbose "stdin already closed: $_" }
            if (-not $Child.Process.WaitForExit(10000)) { $Child.Process.Kill($true) }
            $null = $Child.Process.WaitForExit(10000)
        }
    }
    finally { $Child.Process.Dispose() }
}

# Starts the Atlassian emulator on 127.0.0.1 with an OS-chosen port and waits for its ready line.
function Start-Emulator {
    param([int] $Projects)
    $child = Start-Child -FilePath 'dotnet' -Interactive -ArgumentList @(
        $EmulatorDll, '--port', '0', '--projects', "$Projects", '--flavor', 'cloud')
    $script:Children.Add($child)
    $ready = Read-ChildLine $child '^Atlassian emulator listening on (?<url>http://\S+)\s*$' $ReadyTimeout "the emulator ($Projects projects) to listen"
    # Nothing else is read from it; drain stdout so it can never block.
    $null = $child.Process.StandardOutput.ReadToEndAsync()
    $child | Add-Member -NotePropertyName Url -NotePropertyValue $ready['url'] -PassThru
}

# Runs a child to completion and returns its wall-clock time and stdout.
function Invoke-TimedChild {
    param([string] $FilePath, [string[]] $ArgumentList, [int] $TimeoutSeconds = $StepTimeout, [hashtable] $Environment)
    $stopwatch = [System.Diagnostics.Stopwatch]::StartNew()
    $child = Start-Child -FilePath $FilePath -ArgumentList $ArgumentList -Environment $Environment
    try {
        $stdout = $child.Process.StandardOutput.ReadToEndAsync()
        if (-not $child.Process.WaitForExit($TimeoutSeconds * 1000)) { throw "Timed out after $TimeoutSeconds s: $FilePath $($ArgumentList -join ' ')" }
        $child.Process.WaitForExit()
        $stopwatch.Stop()
        $null = $stdout.Wait(5000)
        if ($child.Process.ExitCode -ne 0) {
            throw "Exit code $($child.Process.ExitCode): $($ArgumentList -join ' ')`n$($stdout.Result)`n$(Get-ChildError $child)"
        }
        [pscustomobject]@{ Milliseconds = $stopwatch.Elapsed.TotalMilliseconds; Output = $stdout.Result }
    }
    finally {
        if (-not $child.Process.HasExited) { $child.Process.Kill($true) }
        $child.Process.Dispose()
    }
}

# The 1-minute load average (Linux), to tell a quiet run from a busy one.
function Get-LoadAverage {
    if (-not (Test-Path -LiteralPath '/proc/loadavg')) { return $null }
    [double]::Parse(([System.IO.File]::ReadAllText('/proc/loadavg') -split ' ')[0], $Invariant)
}

function Get-MachineDescription {
    $cpu = $null
    if (Test-Path -LiteralPath '/proc/cpuinfo') {
        $hit = Select-String -LiteralPath '/proc/cpuinfo' -Pattern '^model name\s*:\s*(.+)$' | Select-Object -First 1
        if ($hit) { $cpu = $hit.Matches[0].Groups[1].Value }
    }
    elseif ($env:PROCESSOR_IDENTIFIER) { $cpu = $env:PROCESSOR_IDENTIFIER }
    $memory = $null
    if (Test-Path -LiteralPath '/proc/meminfo') {
        $hit = Select-String -LiteralPath '/proc/meminfo' -Pattern '^MemTotal:\s+(\d+)' | Select-Object -First 1
        if ($hit) { $memory = (Format-Number ([long]$hit.Matches[0].Groups[1].Value / 1MB) 'N1') + ' GiB' }
    }
    $commit = $null
    try {
        $commit = (& git -C $Root rev-parse --short HEAD 2>$null)
        if ($commit -and (& git -C $Root status --porcelain --untracked-files=no 2>$null)) { $commit = "$commit (with uncommitted changes)" }
    }
    catch { $commit = $null }
    [ordered]@{
        'Logical processors' = [Environment]::ProcessorCount
        'CPU'                = if ($cpu) { $cpu.Trim() } else { 'unknown' }
        'Memory'             = if ($memory) { $memory } else { 'unknown' }
        'OS'                 = [System.Runtime.InteropServices.RuntimeInformation]::OSDescription
        'PowerShell'         = "$($PSVersionTable.PSVersion) ($($PSVersionTable.PSEdition))"
        '.NET'               = [System.Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
        'Configuration'      = $Configuration
        'Commit'             = if ($commit) { "$commit" } else { 'unknown' }
    }
}

#endregion

#region Measurements

# A copy of $PSHOME whose PowerShell assemblies are compiled ReadyToRun, the way PowerShell's platform packages
# ship them (the .NET tool package this script runs from is IL only, so every PowerShell code path is
# JIT-compiled on first use). Built once per PowerShell version under out/bench and reused.
function Get-ReadyToRunPowerShell {
    $folder = Join-Path $Root "out/bench/pwsh-$($PSVersionTable.PSVersion)-readytorun"
    $stamp = Join-Path $folder '.complete'
    if (-not (Test-Path -LiteralPath $stamp)) {
        Write-Host "Compiling PowerShell $($PSVersionTable.PSVersion) ReadyToRun (once; reused by later runs)" -ForegroundColor Cyan
        $publish = Join-Path $Root 'out/bench/readytorun-publish'
        Remove-Item -LiteralPath $folder, $publish -Recurse -Force -ErrorAction SilentlyContinue
        & dotnet publish $ReadyToRunProject -c Release -o $publish "-p:PowerShellHome=$PSHOME" --nologo -v q -clp:ErrorsOnly
        if ($LASTEXITCODE -ne 0) { throw "Publishing $ReadyToRunProject failed with exit code $LASTEXITCODE." }
        $null = New-Item -ItemType Directory -Force -Path $folder
        Copy-Item -Path (Join-Path $PSHOME '*') -Destination $folder -Recurse -Force
        # Only PowerShell's own files are replaced; the publish folder also holds the probe program itself.
        foreach ($file in Get-ChildItem -LiteralPath $publish -Filter '*.dll') {
            $target = Join-Path $folder $file.Name
            if (Test-Path -LiteralPath $target) { Copy-Item -LiteralPath $file.FullName -Destination $target -Force }
        }
        Remove-Item -LiteralPath $publish -Recurse -Force -ErrorAction SilentlyContinue
        Set-Content -LiteralPath $stamp -Value "$PSHOME" -Encoding utf8
    }
    $engine = Join-Path $folder 'System.Management.Automation.dll'
    if (-not (Test-ReadyToRun $engine)) { throw "$engine is not ReadyToRun; delete $folder and run again." }
    , @('dotnet', (Join-Path $folder 'pwsh.dll'))
}

function Test-ReadyToRun {
    param([string] $Path)
    $stream = [System.IO.File]::OpenRead($Path)
    try {
        $reader = [System.Reflection.PortableExecutable.PEReader]::new($stream)
        try { $reader.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0 } finally { $reader.Dispose() }
    }
    finally { $stream.Dispose() }
}

# Fresh processes of each PowerShell in $Shells (name -> command), all kinds interleaved in one loop so they
# share the machine's noise. Per PowerShell: a bare start, the JiraConnect import, the import of an empty
# manifest module (PowerShell's own floor) and the import timed inside the process.
function Measure-ImportOverhead {
    param([System.Collections.Specialized.OrderedDictionary] $Shells)
    $quoted = $ModulePath.Replace("'", "''")
    # Reference point: a manifest module with nothing in it, i.e. what any Import-Module of a manifest costs.
    $emptyFolder = Join-Path ([System.IO.Path]::GetTempPath()) "JiraConnectBench-$([guid]::NewGuid().ToString('n'))"
    $emptyManifest = Join-Path $emptyFolder 'EmptyBenchModule.psd1'
    $null = New-Item -ItemType Directory -Path $emptyFolder
    Set-Content -LiteralPath $emptyManifest -Encoding utf8 -Value ("@{ ModuleVersion = '1.0.0'; GUID = '$([guid]::NewGuid())'; " +
        'FunctionsToExport = @(); CmdletsToExport = @(); VariablesToExport = @(); AliasesToExport = @() }')
    $commands = [ordered]@{
        Bare      = 'exit'
        Import    = "Import-Module '$quoted'; exit"
        Empty     = "Import-Module '$($emptyManifest.Replace("'", "''"))'; exit"
        # Informational: the time Import-Module itself takes inside the process.
        InProcess = "`$s = [System.Diagnostics.Stopwatch]::StartNew(); Import-Module '$quoted'; `$s.Stop(); [Console]::Out.Write(`$s.Elapsed.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture)); exit"
        # The bare start and the import again with PowerShell's telemetry on, its default (the script turns it off).
        BareTelemetry   = 'exit'
        ImportTelemetry = "Import-Module '$quoted'; exit"
    }
    $variants = [ordered]@{}
    foreach ($shell in $Shells.Keys) {
        foreach ($kind in $commands.Keys) {
            $variants["$shell/$kind"] = @{ Shell = $shell; Kind = $kind; File = $Shells[$shell][0]
                Arguments = @($Shells[$shell] | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $commands[$kind])
                Environment = if ($kind -like '*Telemetry') { @{ POWERSHELL_TELEMETRY_OPTOUT = $null } } else { $null } }
        }
    }
    $samples = @{}
    foreach ($name in $variants.Keys) { $samples[$name] = [System.Collections.Generic.List[double]]::new() }
    try {
        $forward = @($variants.Keys)
        $backward = @($variants.Keys); [array]::Reverse($backward)
        # One untimed run of each warms the file cache and PowerShell's startup caches.
        foreach ($name in $forward) { $null = Invoke-TimedChild $variants[$name].File $variants[$name].Arguments -Environment $variants[$name].Environment }
        for ($i = 0; $i -lt $ImportRuns; $i++) {
            # Forward, then backward order, so no variant always runs right after the same other one.
            $order = if ($i % 2) { $backward } else { $forward }
            foreach ($name in $order) {
                $run = Invoke-TimedChild $variants[$name].File $variants[$name].Arguments -Environment $variants[$name].Environment
                if ($variants[$name].Kind -eq 'InProcess') { $samples[$name].Add([double]::Parse($run.Output.Trim(), $Invariant)) }
                else { $samples[$name].Add($run.Milliseconds) }
            }
            Write-Host "  import round $($i + 1)/$ImportRuns" -ForegroundColor DarkGray
        }
    }
    finally {
        Remove-Item -LiteralPath $emptyFolder -Recurse -Force -ErrorAction SilentlyContinue
    }
    $result = [ordered]@{}
    foreach ($shell in $Shells.Keys) {
        $bare = Get-Median $samples["$shell/Bare"]
        $import = Get-Median $samples["$shell/Import"]
        $result[$shell] = [pscustomobject]@{
            BareMedian      = $bare
            ImportMedian    = $import
            Overhead        = $import - $bare
            EmptyMedian     = Get-Median $samples["$shell/Empty"]
            InProcessMedian = Get-Median $samples["$shell/InProcess"]
            TelemetryOverhead = (Get-Median $samples["$shell/ImportTelemetry"]) - (Get-Median $samples["$shell/BareTelemetry"])
            Bare            = $samples["$shell/Bare"].ToArray()
            Import          = $samples["$shell/Import"].ToArray()
            Empty           = $samples["$shell/Empty"].ToArray()
            InProcess       = $samples["$shell/InProcess"].ToArray()
            BareTelemetry   = $samples["$shell/BareTelemetry"].ToArray()
            ImportTelemetry = $samples["$shell/ImportTelemetry"].ToArray()
        }
    }
    $result
}

function Measure-Listing {
    $readyPattern = '^BENCH ready (?<count>\d+) warmup (?<warmup>\d+) first (?<first>[0-9.]+)'
    $emulator = Start-Emulator -Projects $ListingProjects
    $pwsh = Get-PwshCommand
    $baseline = Start-Child -FilePath 'dotnet' -Interactive -ArgumentList @($BaselineDll, '--url', $emulator.Url,
        '--user', $EmulatorUser, '--token', $EmulatorToken, '--expected', "$ListingProjects", '--warmup', "$Warmup",
        '--warmup-seconds', $WarmupSeconds.ToString($Invariant), '--max-warmup', "$MaxWarmup", '--serve')
    $script:Children.Add($baseline)
    $baselineReady = Read-ChildLine $baseline $readyPattern $WarmupTimeout 'the baseline to warm up'
    $module = Start-Child -FilePath $pwsh[0] -Interactive -ArgumentList (@($pwsh | Select-Object -Skip 1) + @(
            '-NoProfile', '-NonInteractive', '-File', $ListingScript, '-ModulePath', $ModulePath, '-Url', $emulator.Url,
            '-User', $EmulatorUser, '-Token', $EmulatorToken, '-Expected', "$ListingProjects", '-Warmup', "$Warmup",
            '-WarmupSeconds', $WarmupSeconds.ToString($Invariant), '-MaxWarmup', "$MaxWarmup"))
    $script:Children.Add($module)
    $moduleReady = Read-ChildLine $module $readyPattern $WarmupTimeout 'the module process to warm up'

    $samples = @{ Module = [System.Collections.Generic.List[double]]::new(); Baseline = [System.Collections.Generic.List[double]]::new() }
    $cpu = @{ Module = [System.Collections.Generic.List[double]]::new(); Baseline = [System.Collections.Generic.List[double]]::new() }
    $allocated = @{ Module = [System.Collections.Generic.List[double]]::new(); Baseline = [System.Collections.Generic.List[double]]::new() }
    $jit = @{ Module = [System.Collections.Generic.List[double]]::new(); Baseline = [System.Collections.Generic.List[double]]::new() }
    $children = @{ Module = $module; Baseline = $baseline }
    for ($i = 0; $i -lt $Iterations; $i++) {
        $order = if ($i % 2) { 'Module', 'Baseline' } else { 'Baseline', 'Module' }
        foreach ($name in $order) {
            $children[$name].Process.StandardInput.WriteLine('run')
            $children[$name].Process.StandardInput.Flush()
            $match = Read-ChildLine $children[$name] '^BENCH ms (?<ms>[0-9.]+) cpu (?<cpu>[0-9.]+) alloc (?<alloc>[0-9]+) jit (?<jit>[0-9]+)' $StepTimeout "a $name listing"
            $jit[$name].Add([double]::Parse($match['jit'], $Invariant))
            $samples[$name].Add([double]::Parse($match['ms'], $Invariant))
            $cpu[$name].Add([double]::Parse($match['cpu'], $Invariant))
            $allocated[$name].Add([double]::Parse($match['alloc'], $Invariant))
        }
        Write-Host ("  listing round {0}/{1}: module {2} ms, baseline {3} ms" -f ($i + 1), $Iterations,
            (Format-Number $samples.Module[-1] 'N0'), (Format-Number $samples.Baseline[-1] 'N0')) -ForegroundColor DarkGray
    }
    Stop-Child $module
    Stop-Child $baseline
    Stop-Child $emulator
    $moduleMedian = Get-Median $samples.Module
    $baselineMedian = Get-Median $samples.Baseline
    [pscustomobject]@{
        ModuleMedian   = $moduleMedian
        BaselineMedian = $baselineMedian
        Ratio          = $moduleMedian / $baselineMedian
        Module         = $samples.Module.ToArray()
        Baseline       = $samples.Baseline.ToArray()
        ModuleCpu      = $cpu.Module.ToArray()
        BaselineCpu    = $cpu.Baseline.ToArray()
        ModuleAlloc    = $allocated.Module.ToArray()
        BaselineAlloc  = $allocated.Baseline.ToArray()
        ModuleJit      = $jit.Module.ToArray()
        BaselineJit    = $jit.Baseline.ToArray()
        ModuleWarmup   = [int]$moduleReady['warmup']
        BaselineWarmup = [int]$baselineReady['warmup']
        ModuleFirst    = [double]::Parse($moduleReady['first'], $Invariant)
        BaselineFirst  = [double]::Parse($baselineReady['first'], $Invariant)
    }
}

function Measure-PeakMemory {
    $small = Start-Emulator -Projects $MemorySmallProjects
    $large = Start-Emulator -Projects $MemoryLargeProjects
    $pwsh = Get-PwshCommand
    $runs = @{ Small = [System.Collections.Generic.List[object]]::new(); Large = [System.Collections.Generic.List[object]]::new() }
    $targets = @{ Small = @($small.Url, $MemorySmallProjects); Large = @($large.Url, $MemoryLargeProjects) }
    for ($i = 0; $i -lt $MemoryRuns; $i++) {
        $order = if ($i % 2) { 'Large', 'Small' } else { 'Small', 'Large' }
        foreach ($name in $order) {
            $url, $count = $targets[$name]
            $run = Invoke-TimedChild $pwsh[0] (@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $MemoryScript,
                    '-ModulePath', $ModulePath, '-Url', $url, '-User', $EmulatorUser, '-Token', $EmulatorToken, '-Expected', "$count"))
            $line = ($run.Output -split "`r?`n") | Where-Object { $_ -like 'BENCH {*' } | Select-Object -Last 1
            if (-not $line) { throw "The memory run for $count projects printed no result:`n$($run.Output)" }
            $result = $line.Substring(6) | ConvertFrom-Json
            $runs[$name].Add($result)
            Write-Host ("  memory run {0}/{1}, {2:N0} projects: peak {3}, listing {4} ms" -f ($i + 1), $MemoryRuns, $count,
                (Format-MiB $result.peakBytes), (Format-Number $result.listingMs 'N0')) -ForegroundColor DarkGray
        }
    }
    Stop-Child $small
    Stop-Child $large
    $smallMedian = Get-Median @($runs.Small | ForEach-Object { [double]$_.peakBytes })
    $largeMedian = Get-Median @($runs.Large | ForEach-Object { [double]$_.peakBytes })
    [pscustomobject]@{
        SmallMedian = $smallMedian
        LargeMedian = $largeMedian
        Ratio       = $largeMedian / $smallMedian
        Small       = $runs.Small.ToArray()
        Large       = $runs.Large.ToArray()
    }
}

#endregion

#region Report

function Format-Samples {
    param([double[]] $Values, [string] $Format = 'N1')
    ($Values | ForEach-Object { Format-Number $_ $Format }) -join ', '
}

function Get-Verdict { param([bool] $Pass) if ($Pass) { 'PASS' } else { 'FAIL' } }

function Write-Report {
    param($Machine, $Import, $Listing, $Memory, [datetime] $Started, [timespan] $Duration, [double[]] $Load)
    $n = "`n"
    $tool = $Import.Tool
    $r2r = $Import.ReadyToRun
    $importPass = $tool.Overhead -lt 100
    $importR2rPass = $r2r.Overhead -lt 100
    $psVersion = "$($PSVersionTable.PSVersion)"
    $listingPass = $Listing.Ratio -le 1.2
    $memoryPass = $Memory.Ratio -le 1.5
    $perModule = $Listing.ModuleMedian * 1000 / $ListingProjects
    $perBaseline = $Listing.BaselineMedian * 1000 / $ListingProjects
    $minRatio = ($Listing.Module | Measure-Object -Minimum).Minimum / ($Listing.Baseline | Measure-Object -Minimum).Minimum
    $moduleCpu = Get-Median $Listing.ModuleCpu
    $baselineCpu = [math]::Max(0.001, (Get-Median $Listing.BaselineCpu))
    $smallBefore = Get-Median @($Memory.Small | ForEach-Object { [double]$_.peakBeforeListing })
    $largeBefore = Get-Median @($Memory.Large | ForEach-Object { [double]$_.peakBeforeListing })

    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.Add('# JiraConnect performance')
    $lines.Add('')
    $lines.Add('Generated by `build.ps1 -Task Bench` (tests/Benchmarks/Invoke-Benchmarks.ps1 running tests/Benchmarks/Foundation.ps1). Every figure is a median over')
    $lines.Add('several samples, and every baseline was measured in the same run on the same machine, so the ratios')
    $lines.Add('are what to compare between runs; absolute times depend on the machine.')
    $lines.Add('')
    $lines.Add("- Date: $($Started.ToUniversalTime().ToString('yyyy-MM-dd HH:mm', $Invariant)) UTC (run took $(Format-Number $Duration.TotalMinutes 'N1') min)")
    foreach ($key in $Machine.Keys) { $lines.Add("- ${key}: $($Machine[$key])") }
    if ($Load) {
        $lines.Add("- Load average (1 min) before each part and at the end (the benchmark's own processes included): $(Format-Samples $Load 'N2') on $([Environment]::ProcessorCount) logical processors." +
            ' Other work on the machine slows every process alike, which stretches absolute times (the import overhead among them) more than ratios.')
    }
    $lines.Add('')
    $lines.Add('## Results')
    $lines.Add('')
    $lines.Add('| Figure | JiraConnect (median) | Baseline (median) | Difference / ratio | Target | Result |')
    $lines.Add('|---|---:|---:|---:|---|---|')
    $lines.Add("| Import-Module overhead over a bare ``pwsh`` start: PowerShell $psVersion compiled ReadyToRun, as its platform packages ship | $(Format-Number $r2r.ImportMedian 'N0') ms | $(Format-Number $r2r.BareMedian 'N0') ms (bare start) | $(Format-Signed $r2r.Overhead) ms | under 100 ms | $(Get-Verdict $importR2rPass) |")
    $lines.Add("| Import-Module overhead over a bare ``pwsh`` start: PowerShell $psVersion as the .NET tool installs it (IL only, all JIT-compiled) | $(Format-Number $tool.ImportMedian 'N0') ms | $(Format-Number $tool.BareMedian 'N0') ms (bare start) | $(Format-Signed $tool.Overhead) ms | under 100 ms | $(Get-Verdict $importPass) |")
    $lines.Add("| ``Get-JiraProject`` over $(Format-Number $ListingProjects 'N0') projects | $(Format-Number $Listing.ModuleMedian 'N0') ms | $(Format-Number $Listing.BaselineMedian 'N0') ms (HttpClient + System.Text.Json) | $(Format-Number $Listing.Ratio 'N2')x | within 1.2x | $(Get-Verdict $listingPass) |")
    $lines.Add("| Peak working set, $(Format-Number $MemoryLargeProjects 'N0') projects to ``Measure-Object`` | $(Format-MiB $Memory.LargeMedian) | $(Format-MiB $Memory.SmallMedian) ($(Format-Number $MemorySmallProjects 'N0') projects) | $(Format-Number $Memory.Ratio 'N2')x | within 1.5x | $(Get-Verdict $memoryPass) |")
    $lines.Add('')
    $lines.Add('Derived figures (informational, no target):')
    $lines.Add('')
    foreach ($shell in @(@{ Name = 'ReadyToRun'; Label = 'ReadyToRun PowerShell' }, @{ Name = 'Tool'; Label = '.NET tool PowerShell' })) {
        $figures = $Import.($shell.Name)
        $bareMin = ($figures.Bare | Measure-Object -Minimum).Minimum
        $importMin = ($figures.Import | Measure-Object -Minimum).Minimum
        $lines.Add("- $($shell.Label): ``Import-Module`` timed inside the process, median $(Format-Number $figures.InProcessMedian 'N0') ms." +
            " PowerShell's own floor, ``Import-Module`` of an empty manifest module: $(Format-Signed ($figures.EmptyMedian - $figures.BareMedian)) ms over a bare start;" +
            " JiraConnect's share above that floor: $(Format-Signed ($figures.ImportMedian - $figures.EmptyMedian)) ms." +
            " Fastest sample of each: bare $(Format-Number $bareMin 'N0') ms, with ``Import-Module`` $(Format-Number $importMin 'N0') ms ($(Format-Signed ($importMin - $bareMin)) ms)." +
            " With PowerShell's telemetry on (its default; every other figure here has it off): overhead $(Format-Signed $figures.TelemetryOverhead) ms.")
    }
    $lines.Add("- Listing cost per project: JiraConnect $(Format-Number $perModule 'N1') µs, baseline $(Format-Number $perBaseline 'N1') µs; $(Format-Number ($ListingProjects / 100) 'N0') pages of 100.")
    $lines.Add("- Listing, fastest sample: JiraConnect $(Format-Number ($Listing.Module | Measure-Object -Minimum).Minimum 'N0') ms, baseline $(Format-Number ($Listing.Baseline | Measure-Object -Minimum).Minimum 'N0') ms ($(Format-Number $minRatio 'N2')x).")
    $lines.Add("- Listing, process CPU time per listing (median; includes GC and JIT threads): JiraConnect $(Format-Number $moduleCpu 'N0') ms, baseline $(Format-Number $baselineCpu 'N0') ms ($(Format-Number ($moduleCpu / $baselineCpu) 'N2')x).")
    $lines.Add("- Listing, managed memory allocated per listing (median): JiraConnect $(Format-MiB (Get-Median $Listing.ModuleAlloc)), baseline $(Format-MiB (Get-Median $Listing.BaselineAlloc)).")
    $lines.Add("- Listing, first (cold) listing in each process: JiraConnect $(Format-Number $Listing.ModuleFirst 'N0') ms, baseline $(Format-Number $Listing.BaselineFirst 'N0') ms. Warm-up listings until the JIT went quiet: JiraConnect $($Listing.ModuleWarmup), baseline $($Listing.BaselineWarmup); methods compiled during a timed listing (median): $(Format-Number (Get-Median $Listing.ModuleJit) 'N0') and $(Format-Number (Get-Median $Listing.BaselineJit) 'N0').")
    $lines.Add("- Peak working set right after ``Import-Module`` and ``Connect-JiraSite``, before listing: $(Format-MiB $smallBefore) ($(Format-Number $MemorySmallProjects 'N0') run), $(Format-MiB $largeBefore) ($(Format-Number $MemoryLargeProjects 'N0') run). Growth during the listing: $(Format-MiB ($Memory.SmallMedian - $smallBefore)) and $(Format-MiB ($Memory.LargeMedian - $largeBefore)).")
    $lines.Add('')
    $lines.Add('## Method')
    $lines.Add('')
    $lines.Add('All child processes are started from the benchmark script with `-NoProfile -NonInteractive`,')
    $lines.Add('`$ProgressPreference = ''SilentlyContinue''` where the module runs, and PowerShell telemetry and update checks')
    $lines.Add('turned off (except where a figure says telemetry on). The data comes from the Atlassian emulator (tests/AtlassianEmulator, Jira Cloud flavour) on')
    $lines.Add('127.0.0.1 with an OS-chosen port, one emulator per project count, as the emulator''s admin user with Basic')
    $lines.Add('auth. Listings check the number of projects they received.')
    $lines.Add('')
    $lines.Add('**Import overhead.** Two builds of the same PowerShell, each started fresh in six ways: `-Command ''exit''`')
    $lines.Add("(bare start), ``-Command 'Import-Module <out/JiraConnect/JiraConnect.psd1>; exit'``, the import of an empty")
    $lines.Add('manifest module written to a temporary folder (the floor any module pays), and the JiraConnect import')
    $lines.Add('wrapped in a Stopwatch that the process prints (the in-process figure); then the bare start and the')
    $lines.Add('import again with PowerShell''s telemetry left on, its default. All twelve kinds run in')
    $lines.Add("alternating forward and backward order, $ImportRuns times each after one untimed run of each; wall-clock time")
    $lines.Add('is taken from process start to exit, and the overhead is the median of the import runs minus the median')
    $lines.Add('of the bare runs of the same build.')
    $lines.Add('')
    $lines.Add("The two builds: the PowerShell $psVersion .NET tool this machine runs (``dotnet pwsh``), whose assemblies are IL")
    $lines.Add('only, so every PowerShell code path a start or an import touches is JIT-compiled first; and a copy of')
    $lines.Add('the same files with its engine, host, cmdlet and telemetry assemblies compiled ReadyToRun by')
    $lines.Add('tests/Benchmarks/ReadyToRunPowerShell (built once under out/bench, checked for its ReadyToRun header).')
    $lines.Add('PowerShell''s Release builds set `PublishReadyToRun` (PowerShell.Common.props), which takes effect in the')
    $lines.Add('packages published for a runtime (deb, rpm, tar.gz, msi, zip); the .NET tool is published without one.')
    $lines.Add('The ReadyToRun build is therefore the PowerShell an admin installing a platform package runs; the tool')
    $lines.Add('build is the worst case. Neither build changes anything in the module, which is the same file in both.')
    $lines.Add('')
    $lines.Add('**Listing.** One long-lived PowerShell process imports the module, connects and warms up with untimed')
    $lines.Add("listings: at least $Warmup of them and $(Format-Number $WarmupSeconds 'N0') s (tiered compilation promotes hot code in delayed")
    $lines.Add('batches), then on until the JIT compiled at most two methods during each of three listings in a row')
    $lines.Add("(at most $MaxWarmup listings). It then times ``Get-JiraProject | Out-Null`` with a Stopwatch, one listing per request from the")
    $lines.Add('script. The baseline (tests/Benchmarks/Baseline, built here) is a .NET console program with one')
    $lines.Add('`HttpClient` and pre-emptive Basic auth that fetches `GET /rest/api/3/project/search?startAt=S&maxResults=100&orderBy=key`')
    $lines.Add('page after page until `isLast`, deserializes each body with `System.Text.Json` into a typed DTO list, and')
    $lines.Add('checks the count and `total`; it warms up by the same rule. The two are stepped')
    $lines.Add("alternately (ABBA order), $Iterations timed listings each, against the same emulator. JiraConnect")
    $lines.Add('requests the next page while it emits the current one, so it can beat the sequential baseline when a')
    $lines.Add('core is free; on a busy machine that overlap shrinks. The process CPU time of each listing is reported')
    $lines.Add('too, as a figure that depends less on the machine''s load.')
    $lines.Add('')
    $lines.Add("**Peak memory.** $MemoryRuns fresh PowerShell process(es) per project count, alternating between counts,")
    $lines.Add('each importing the module, connecting and running `Get-JiraProject | Measure-Object`, then reading its')
    $lines.Add('own peak working set: `VmHWM` from `/proc/self/status` on Linux, `Process.PeakWorkingSet64` elsewhere.')
    $lines.Add('No garbage collection is forced. The ratio is the median for the large count over the median for the')
    $lines.Add('small count; both include the fixed cost of the PowerShell process itself, which is the point: the')
    $lines.Add('listing streams, so its memory should not grow with the number of projects.')
    $lines.Add('')
    $lines.Add('## Raw samples')
    $lines.Add('')
    foreach ($shell in @(@{ Name = 'ReadyToRun'; Label = 'ReadyToRun PowerShell' }, @{ Name = 'Tool'; Label = '.NET tool PowerShell' })) {
        $figures = $Import.($shell.Name)
        $lines.Add("- $($shell.Label), bare ``pwsh`` start (ms): $(Format-Samples $figures.Bare 'N0')")
        $lines.Add("- $($shell.Label), start with ``Import-Module`` (ms): $(Format-Samples $figures.Import 'N0')")
        $lines.Add("- $($shell.Label), start with ``Import-Module`` of an empty manifest module (ms): $(Format-Samples $figures.Empty 'N0')")
        $lines.Add("- $($shell.Label), ``Import-Module`` in process (ms): $(Format-Samples $figures.InProcess 'N1')")
        $lines.Add("- $($shell.Label), telemetry on, bare start (ms): $(Format-Samples $figures.BareTelemetry 'N0'); with ``Import-Module`` (ms): $(Format-Samples $figures.ImportTelemetry 'N0')")
    }
    $lines.Add("- ``Get-JiraProject | Out-Null``, $(Format-Number $ListingProjects 'N0') projects (ms): $(Format-Samples $Listing.Module 'N0')")
    $lines.Add("- Baseline, $(Format-Number $ListingProjects 'N0') projects (ms): $(Format-Samples $Listing.Baseline 'N0')")
    $lines.Add("- Process CPU per listing, JiraConnect (ms): $(Format-Samples $Listing.ModuleCpu 'N0')")
    $lines.Add("- Process CPU per listing, baseline (ms): $(Format-Samples $Listing.BaselineCpu 'N0')")
    foreach ($set in @(@{ Name = 'Small'; Count = $MemorySmallProjects }, @{ Name = 'Large'; Count = $MemoryLargeProjects })) {
        $runs = $Memory.($set.Name)
        $lines.Add("- Peak working set, $(Format-Number $set.Count 'N0') projects (MiB): $(Format-Samples @($runs | ForEach-Object { $_.peakBytes / 1MB }) 'N1');" +
            " before listing: $(Format-Samples @($runs | ForEach-Object { $_.peakBeforeListing / 1MB }) 'N1');" +
            " listing time (ms): $(Format-Samples @($runs | ForEach-Object { $_.listingMs }) 'N0');" +
            " GC gen0/1/2: $(($runs | ForEach-Object { $_.gcCollections -join '/' }) -join ', ')")
    }
    $lines.Add('')

    $directory = Split-Path -Parent $OutputPath
    if ($directory -and -not (Test-Path $directory)) { $null = New-Item -ItemType Directory -Force -Path $directory }
    [System.IO.File]::WriteAllText($OutputPath, ($lines -join $n), [System.Text.UTF8Encoding]::new($false))
    [pscustomobject]@{ Import = $importPass; ImportReadyToRun = $importR2rPass; Listing = $listingPass; Memory = $memoryPass }
}

#endregion

$script:Children = [System.Collections.Generic.List[object]]::new()
$started = Get-Date
$exitCode = 0
try {
    foreach ($required in $ModulePath, $EmulatorDll) {
        if (-not (Test-Path -LiteralPath $required)) { throw "Missing $required; run 'dotnet pwsh ./build.ps1 -Task Build -Configuration $Configuration' first." }
    }
    Write-Host "Building the baseline ($Configuration)" -ForegroundColor Cyan
    & dotnet build $BaselineProject -c $Configuration --nologo -v q -clp:ErrorsOnly
    if ($LASTEXITCODE -ne 0) { throw "Building $BaselineProject failed with exit code $LASTEXITCODE." }
    if (-not (Test-Path -LiteralPath $BaselineDll)) { throw "The baseline build produced no $BaselineDll." }

    $machine = Get-MachineDescription
    $load = [System.Collections.Generic.List[object]]::new()
    $load.Add((Get-LoadAverage))
    $shells = [ordered]@{ Tool = (Get-PwshCommand); ReadyToRun = (Get-ReadyToRunPowerShell) }
    Write-Host "Import overhead: $ImportRuns fresh processes per variant and PowerShell build" -ForegroundColor Cyan
    $import = Measure-ImportOverhead -Shells $shells
    Write-Host "Listing: $Iterations timed listings of $ListingProjects projects, module and baseline alternately" -ForegroundColor Cyan
    $load.Add((Get-LoadAverage))
    $listing = Measure-Listing
    $load.Add((Get-LoadAverage))
    Write-Host "Peak memory: $MemoryRuns fresh processes for $MemorySmallProjects and for $MemoryLargeProjects projects" -ForegroundColor Cyan
    $memory = Measure-PeakMemory
    $load.Add((Get-LoadAverage))

    $verdict = Write-Report -Machine $machine -Import $import -Listing $listing -Memory $memory -Started $started -Duration ((Get-Date) - $started) -Load ($load | Where-Object { $null -ne $_ })
    Write-Host ''
    Write-Host ("Import overhead, ReadyToRun PowerShell: {0} ms (bare {1} ms, import {2} ms)  target < 100 ms  {3}" -f (Format-Signed $import.ReadyToRun.Overhead),
        (Format-Number $import.ReadyToRun.BareMedian 'N0'), (Format-Number $import.ReadyToRun.ImportMedian 'N0'), (Get-Verdict $verdict.ImportReadyToRun))
    Write-Host ("Import overhead, .NET tool PowerShell (IL only): {0} ms (bare {1} ms, import {2} ms)  target < 100 ms  {3}" -f (Format-Signed $import.Tool.Overhead),
        (Format-Number $import.Tool.BareMedian 'N0'), (Format-Number $import.Tool.ImportMedian 'N0'), (Get-Verdict $verdict.Import))
    Write-Host ("Listing {0}: module {1} ms, baseline {2} ms, {3}x  target <= 1.2x  {4}" -f $ListingProjects,
        (Format-Number $listing.ModuleMedian 'N0'), (Format-Number $listing.BaselineMedian 'N0'), (Format-Number $listing.Ratio 'N2'), (Get-Verdict $verdict.Listing))
    Write-Host ("Peak memory: {0} for {1}, {2} for {3}, {4}x  target <= 1.5x  {5}" -f (Format-MiB $memory.LargeMedian), $MemoryLargeProjects,
        (Format-MiB $memory.SmallMedian), $MemorySmallProjects, (Format-Number $memory.Ratio 'N2'), (Get-Verdict $verdict.Memory))
    Write-Host "Report: $OutputPath" -ForegroundColor Cyan
}
catch {
    Write-Host "The benchmark broke: $($_.Exception.Message)" -ForegroundColor Red
    Write-Host $_.ScriptStackTrace -ForegroundColor DarkGray
    $exitCode = 1
}
finally {
    foreach ($child in $script:Children) {
        try { Stop-Child $child } catch { Write-Host "Could not stop a child process: $_" -ForegroundColor Yellow }
    }
}
exit $exitCode
