# Dot-sourced by build.ps1 and tests/Pester/TestHelpers.psm1.

function Get-PwshCommand {
    <# A fresh PowerShell process of the same kind as this one: executable plus leading arguments. #>
    if ($PSVersionTable.PSEdition -eq 'Desktop') { return , @((Join-Path $PSHOME 'powershell.exe')) }
    $process = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { return , @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    , @($process)
}
