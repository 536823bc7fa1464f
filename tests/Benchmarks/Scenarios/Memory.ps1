<#
    Child process for the peak-memory benchmark (started by Foundation.ps1, one fresh process
    per sample). Imports the module, connects, runs `Get-JiraProject | Measure-Object`, and prints one
    line "BENCH {json}" with the count and the process peak working set: VmHWM from /proc/self/status
    on Linux, Process.PeakWorkingSet64 elsewhere. The peak is also read right after connecting, so the
    listing's own share can be told apart from the cost of starting PowerShell and loading the module.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Url,
    [Parameter(Mandatory)] [string] $User,
    [Parameter(Mandatory)] [string] $Token,
    [Parameter(Mandatory)] [int] $Expected
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version Latest

function Get-PeakWorkingSet {
    if (Test-Path -LiteralPath '/proc/self/status') {
        foreach ($line in [System.IO.File]::ReadAllLines('/proc/self/status')) {
            if ($line -match '^VmHWM:\s+(\d+)\s+kB') { return [long]$Matches[1] * 1024 }
        }
    }
    $process = [System.Diagnostics.Process]::GetCurrentProcess()
    $process.Refresh()
    $process.PeakWorkingSet64
}

Import-Module $ModulePath
$credential = [pscredential]::new($User, (ConvertTo-SecureString $Token -AsPlainText -Force))
$null = Connect-JiraSite -Url $Url -Credential $credential
$beforeListing = Get-PeakWorkingSet

$stopwatch = [System.Diagnostics.Stopwatch]::StartNew()
$measure = Get-JiraProject | Measure-Object
$stopwatch.Stop()
$peak = Get-PeakWorkingSet
if ($measure.Count -ne $Expected) { throw "Get-JiraProject returned $($measure.Count) projects, expected $Expected." }

$result = [ordered]@{
    count                = $measure.Count
    peakBytes            = $peak
    peakBeforeListing    = $beforeListing
    listingMs            = [math]::Round($stopwatch.Elapsed.TotalMilliseconds, 1)
    gcCollections        = @(0, 1, 2 | ForEach-Object { [System.GC]::CollectionCount($_) })
    managedHeapBytes     = [System.GC]::GetTotalMemory($false)
}
[Console]::Out.WriteLine('BENCH ' + ($result | ConvertTo-Json -Compress))
