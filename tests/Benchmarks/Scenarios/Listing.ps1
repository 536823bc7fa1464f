<#
    Child process for the Get-JiraProject listing benchmark (started by Foundation.ps1).
    Imports the module, connects, checks the count once, then warms up: at least -Warmup listings and
    -WarmupSeconds seconds (tiered compilation promotes hot code in delayed batches, so a quiet moment
    alone proves little), then on until the JIT has compiled (almost) nothing during three listings in
    a row, at most -MaxWarmup listings.
    Prints "BENCH ready <count> warmup <listings> first <ms of the first, cold listing>", then for every
    "run" line on stdin times one `Get-JiraProject | Out-Null` and prints
    "BENCH ms <wall-clock ms> cpu <process CPU ms> alloc <bytes allocated> jit <methods compiled>".
    Exits when stdin closes.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Url,
    [Parameter(Mandatory)] [string] $User,
    [Parameter(Mandatory)] [string] $Token,
    [Parameter(Mandatory)] [int] $Expected,
    [int] $Warmup = 40,
    [double] $WarmupSeconds = 5,
    [int] $MaxWarmup = 200
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version Latest

# One timed listing; the same code path for the warm-up and the measurement.
function Measure-Listing {
    $jit = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
    $allocated = [System.GC]::GetTotalAllocatedBytes($false)
    $cpu = [System.Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime
    $stopwatch = [System.Diagnostics.Stopwatch]::StartNew()
    Get-JiraProject | Out-Null
    $stopwatch.Stop()
    $cpu = [System.Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime - $cpu
    $allocated = [System.GC]::GetTotalAllocatedBytes($false) - $allocated
    $jit = [System.Runtime.JitInfo]::GetCompiledMethodCount($false) - $jit
    [string]::Format([cultureinfo]::InvariantCulture, 'ms {0:F3} cpu {1:F3} alloc {2} jit {3}',
        $stopwatch.Elapsed.TotalMilliseconds, $cpu.TotalMilliseconds, $allocated, $jit)
}

Import-Module $ModulePath
$credential = [pscredential]::new($User, (ConvertTo-SecureString $Token -AsPlainText -Force))
$null = Connect-JiraSite -Url $Url -Credential $credential

$stopwatch = [System.Diagnostics.Stopwatch]::StartNew()
$count = (Get-JiraProject | Measure-Object).Count
$first = $stopwatch.Elapsed.TotalMilliseconds
if ($count -ne $Expected) { throw "Get-JiraProject returned $count projects, expected $Expected." }

$listings = 0
$quiet = 0
$warming = [System.Diagnostics.Stopwatch]::StartNew()
while ($listings -lt $MaxWarmup -and ($listings -lt $Warmup -or $warming.Elapsed.TotalSeconds -lt $WarmupSeconds -or $quiet -lt 3)) {
    $result = Measure-Listing
    $listings++
    if ([int]($result -replace '^.* jit ', '') -le 2) { $quiet++ } else { $quiet = 0 }
}
[Console]::Out.WriteLine([string]::Format([cultureinfo]::InvariantCulture, 'BENCH ready {0} warmup {1} first {2:F3}', $count, $listings, $first))
[Console]::Out.Flush()

while ($null -ne ($line = [Console]::In.ReadLine())) {
    if ($line.Trim() -ne 'run') { continue }
    [Console]::Out.WriteLine('BENCH ' + (Measure-Listing))
    [Console]::Out.Flush()
}
