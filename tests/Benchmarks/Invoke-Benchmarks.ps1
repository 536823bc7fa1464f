<#
.SYNOPSIS
    Runs every tests/Benchmarks/*.Bench.ps1 in a fresh process and appends their markdown sections to docs/performance.md.
#>
[CmdletBinding()]
param([string] $Configuration = 'Release')

$ErrorActionPreference = 'Stop'
$root = Resolve-Path (Join-Path $PSScriptRoot '../..')
$report = Join-Path $root 'docs/performance.md'
Import-Module (Join-Path $PSScriptRoot '../Pester/TestHelpers.psm1') -Force
$pwsh = Get-PwshCommand
$failed = 0
foreach ($bench in Get-ChildItem $PSScriptRoot -Filter *.Bench.ps1 | Sort-Object Name) {
    Write-Host "Running $($bench.Name)" -ForegroundColor Cyan
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $bench.FullName)
    $section = (& $pwsh[0] @arguments | Out-String).Trim()
    if ($LASTEXITCODE -ne 0 -or $section -notmatch '(?m)^### ') { $failed++; Write-Warning "$($bench.Name) failed."; continue }
    Write-Host $section
    if (-not (Test-Path $report)) { Set-Content $report "# Performance`n" }
    Add-Content $report "`n<!-- $($bench.Name), $([DateTime]::UtcNow.ToString('yyyy-MM-dd')) -->`n$section`n"
}
if ($failed -gt 0) { exit 1 }
