<#
.SYNOPSIS
    Runs tests/Benchmarks/Foundation.ps1 (which writes docs/performance.md afresh), then every
    tests/Benchmarks/*.Bench.ps1 in a fresh PowerShell process, appending their markdown sections.
.DESCRIPTION
    Each benchmark script prints one markdown section (### heading, method, a table with medians and a ratio against
    a baseline measured in the same run, the target and PASS or FAIL) to standard output. This script shows each
    section and appends them under a dated heading to docs/performance.md. A missed target is reported as FAIL in
    the document; the exit code is 1 only when a benchmark could not run.
#>
[CmdletBinding()]
param([string] $Configuration = 'Release')

$ErrorActionPreference = 'Stop'
$root = Resolve-Path (Join-Path $PSScriptRoot '../..')
$report = Join-Path $root 'docs/performance.md'

Import-Module (Join-Path $PSScriptRoot '../Pester/TestHelpers.psm1') -Force

$pwsh = Get-PwshCommand
$failed = $false

# The foundation figures (import, listing, memory) write docs/performance.md afresh.
Write-Host 'Running Foundation.ps1' -ForegroundColor Cyan
$arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'Foundation.ps1'), '-Configuration', $Configuration)
& $pwsh[0] @arguments | Out-Host
if ($LASTEXITCODE -ne 0) { Write-Host "Foundation.ps1 failed (exit code $LASTEXITCODE)." -ForegroundColor Red; $failed = $true }

# Each connection benchmark prints one markdown section; they go below the foundation figures.
$sections = [System.Collections.Generic.List[string]]::new()
foreach ($bench in Get-ChildItem $PSScriptRoot -Filter '*.Bench.ps1' | Sort-Object Name) {
    Write-Host "Running $($bench.Name)" -ForegroundColor Cyan
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $bench.FullName)
    $output = (& $pwsh[0] @arguments | Out-String).Trim()
    if ($LASTEXITCODE -ne 0 -or -not $output.StartsWith('### ')) {
        Write-Host "$($bench.Name) failed (exit code $LASTEXITCODE)." -ForegroundColor Red
        Write-Host $output
        $failed = $true
        continue
    }
    Write-Host $output
    $sections.Add($output)
}

if ($sections.Count -gt 0 -and (Test-Path $report)) {
    $machine = "$([System.Runtime.InteropServices.RuntimeInformation]::OSDescription.Trim()), $([Environment]::ProcessorCount) cores, PowerShell $($PSVersionTable.PSVersion)"
    Add-Content -Path $report -Encoding utf8 -Value (@('', "## Connection benchmarks, same run ($([DateTime]::UtcNow.ToString('yyyy-MM-dd HH:mm')) UTC, $machine)", '',
        'Each section comes from one tests/Benchmarks/*.Bench.ps1 script and compares against a baseline measured in the same run.', '') + ($sections -join "`n`n"))
    Write-Host "Appended $($sections.Count) section(s) to $report" -ForegroundColor Cyan
}
if ($failed) { exit 1 }
