#requires -Version 5.1
<#
.SYNOPSIS
    Builds, tests, demonstrates, benchmarks and packages JiraConnect.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Demo
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Package', 'Clean')]
    [string[]] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    # Pester test files or folders to run (default: tests/Pester).
    [string[]] $PesterPath,
    # Skip the xunit run (Pester only).
    [switch] $SkipUnitTests
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'JiraConnect'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
# Every task that needs the module builds it; one invocation builds it once (Clean makes the next task build again).
$script:Built = $false

function Invoke-Native {
    param([string] $FilePath, [string[]] $Arguments, [switch] $AllowFailure)
    & $FilePath @Arguments | Out-Host
    if ($LASTEXITCODE -ne 0 -and -not $AllowFailure) { throw "$FilePath $($Arguments -join ' ') failed with exit code $LASTEXITCODE." }
}

function Get-ModuleVersion {
    (Import-PowerShellDataFile (Join-Path $Root 'JiraConnect.psd1')).ModuleVersion
}

# Get-PwshCommand: a fresh PowerShell process of the same kind as this one.
. (Join-Path $PSScriptRoot 'tests/Shared/Get-PwshCommand.ps1')

# Runs a script in a fresh PowerShell process of the same kind as this one; a non-zero exit code fails unless -AllowFailure.
function Invoke-ChildScript([string] $Path, [string[]] $Arguments = @(), [string] $What = (Split-Path $Path -Leaf), [switch] $AllowFailure) {
    $pwsh = Get-PwshCommand
    $all = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $Path) + $Arguments
    & $pwsh[0] @all | Out-Host
    if ($LASTEXITCODE -ne 0 -and -not $AllowFailure) { throw "The $What failed with exit code $LASTEXITCODE." }
}

function Get-PesterModulePath {
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    Join-Path $packages 'pester/5.7.1/tools/Pester.psd1'
}

function Invoke-Clean {
    foreach ($path in @($Out) + @(Get-ChildItem $Root -Recurse -Directory -Include bin, obj -ErrorAction SilentlyContinue | ForEach-Object FullName)) {
        if (Test-Path $path) { Remove-Item $path -Recurse -Force }
    }
    $script:Built = $false
}

function Invoke-Build {
    if ($script:Built) { return }
    Write-Host "Building JiraConnect $(Get-ModuleVersion) ($Configuration)" -ForegroundColor Cyan
    Invoke-Native dotnet @('build', (Join-Path $Root 'JiraConnect.sln'), '-c', $Configuration, '--nologo', '-v', 'q', '-clp:ErrorsOnly')

    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    $dependencies = New-Item -ItemType Directory -Force -Path (Join-Path $ModuleOut 'dependencies')
    $bin = Join-Path $Root "src/JiraConnect/bin/$Configuration/netstandard2.0"
    Copy-Item (Join-Path $Root 'JiraConnect.psd1') $ModuleOut
    # The ready-made environment suite ships beside the module; Get-JiraEnvironmentTestPath finds it there.
    foreach ($file in 'JiraConnect.dll', 'JiraConnect.Core.dll', 'JiraConnect.format.ps1xml', 'JiraConnect.Environment.Tests.ps1') {
        Copy-Item (Join-Path $bin $file) $ModuleOut
    }
    # Third-party assemblies go to dependencies/, resolved by the module's own resolver on Windows PowerShell 5.1.
    Get-ChildItem $bin -Filter *.dll |
        Where-Object { $_.Name -notin 'JiraConnect.dll', 'JiraConnect.Core.dll', 'System.Management.Automation.dll' } |
        Copy-Item -Destination $dependencies

    $helpOut = Join-Path $ModuleOut 'en-US'
    $null = New-Item -ItemType Directory -Force -Path $helpOut
    if (Get-Module -ListAvailable platyPS) {
        Import-Module platyPS
        $null = New-ExternalHelp -Path (Join-Path $Root 'docs/en-US') -OutputPath $helpOut -Force
    }
    else {
        & (Join-Path $Root 'docs/tools/Convert-HelpMarkdown.ps1') -Path (Join-Path $Root 'docs/en-US') -OutputPath $helpOut -ModuleName JiraConnect
    }

    if (-not (Test-Path (Get-PesterModulePath))) {
        Invoke-Native dotnet @('restore', (Join-Path $Root 'tests/Pester/Pester.Tools.csproj'), '--nologo', '-v', 'q')
    }
    $script:Built = $true
    Write-Host "Module staged at $ModuleOut" -ForegroundColor Cyan
}

function Invoke-UnitTests {
    $results = Join-Path $Out 'test-results'
    $null = New-Item -ItemType Directory -Force -Path $results
    $trx = Join-Path $results 'core.trx'
    if (Test-Path $trx) { Remove-Item $trx }
    Invoke-Native dotnet @('test', (Join-Path $Root 'tests/JiraConnect.Core.Tests'), '-c', $Configuration, '--no-build', '--nologo',
        '--logger', "trx;LogFileName=$trx", '--logger', 'console;verbosity=minimal') -AllowFailure
    if (-not (Test-Path $trx)) { throw 'The xunit run wrote no results.' }
    $counters = ([xml](Get-Content $trx -Raw)).TestRun.ResultSummary.Counters
    [pscustomobject]@{ Passed = [int]$counters.passed; Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout; Skipped = [int]$counters.notExecuted }
}

function Invoke-PesterTests {
    $results = Join-Path $Out 'test-results'
    $null = New-Item -ItemType Directory -Force -Path $results
    $summary = Join-Path $results 'pester-summary.json'
    if (Test-Path $summary) { Remove-Item $summary }
    $paths = if ($PesterPath) { $PesterPath } else { @(Join-Path $Root 'tests/Pester') }
    $script = @'
param($PesterModule, $Paths, $Summary, $ResultFile)
Import-Module $PesterModule -Force
$config = New-PesterConfiguration
$config.Run.Path = @($Paths -split ',')
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$config.TestResult.OutputPath = $ResultFile
$result = Invoke-Pester -Configuration $config
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
# A run that broke outside any test (discovery, a container that could not load) still counts as a failure.
if ($result.Result -ne 'Passed' -and $failed -eq 0) { $failed = 1 }
@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount + $result.NotRunCount } |
    ConvertTo-Json | Set-Content -Path $Summary -Encoding utf8
'@
    $scriptFile = Join-Path $results 'run-pester.ps1'
    Set-Content -Path $scriptFile -Value $script -Encoding utf8
    # Failed tests end the run normally; the summary tells them.
    Invoke-ChildScript $scriptFile @('-PesterModule', (Get-PesterModulePath), '-Paths', ($paths -join ','), '-Summary', $summary,
        '-ResultFile', (Join-Path $results 'pester.xml')) -AllowFailure
    if (-not (Test-Path $summary)) { throw 'The Pester run wrote no summary.' }
    $counts = Get-Content $summary -Raw | ConvertFrom-Json
    [pscustomobject]@{ Passed = [int]$counts.Passed; Failed = [int]$counts.Failed; Skipped = [int]$counts.Skipped }
}

function Invoke-Test {
    Invoke-Build
    $runs = @()
    if (-not $SkipUnitTests) { $runs += Invoke-UnitTests | Add-Member -NotePropertyName Runner -NotePropertyValue xunit -PassThru }
    $runs += Invoke-PesterTests | Add-Member -NotePropertyName Runner -NotePropertyValue Pester -PassThru
    $passed = ($runs | Measure-Object Passed -Sum).Sum
    $failed = ($runs | Measure-Object Failed -Sum).Sum
    $skipped = ($runs | Measure-Object Skipped -Sum).Sum
    Write-Host ''
    Write-Host (($runs | ForEach-Object { "$($_.Runner): $($_.Passed) passed, $($_.Failed) failed" }) -join '; ')
    Write-Output "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    Invoke-ChildScript (Join-Path $Root 'tests/Demo/Invoke-Demo.ps1') @('-Configuration', $Configuration, '-PesterModule', (Get-PesterModulePath)) -What 'demo'
}

function Invoke-Bench {
    Invoke-Build
    Invoke-ChildScript (Join-Path $Root 'tests/Benchmarks/Invoke-Benchmarks.ps1') @('-Configuration', $Configuration) -What 'benchmarks'
}

function Invoke-Package {
    Invoke-Build
    $name = "JiraConnect.$(Get-ModuleVersion).nupkg"
    $package = Join-Path $Out $name
    if (Test-Path $package) { Remove-Item $package }
    if (-not (Get-Command Compress-PSResource -ErrorAction SilentlyContinue)) {
        throw 'Package needs Microsoft.PowerShell.PSResourceGet 1.1 or later (it ships with PowerShell 7.4 and later).'
    }
    # The same package Publish-PSResource would push: manifest metadata, module files only.
    Compress-PSResource -Path $ModuleOut -DestinationPath $Out
    if (-not (Test-Path $package)) { throw "Compress-PSResource did not write $package." }
    Write-Host "Package: $package" -ForegroundColor Cyan
}

foreach ($step in $Task) {
    switch ($step) {
        'Clean' { Invoke-Clean }
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'Bench' { Invoke-Bench }
        'Package' { Invoke-Package }
    }
}
