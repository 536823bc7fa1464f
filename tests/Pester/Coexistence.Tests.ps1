# JiraConnect beside JiraPS, which defines Get-JiraProject and Get-JiraSession too. A small script module stands in
# for JiraPS; each case runs in a fresh pwsh against the emulator.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emulator = Start-JiraEmulator -Flavor cloud -Projects 7
    $script:StandIn = Join-Path $TestDrive 'JiraPSStandIn'
    $null = New-Item -ItemType Directory -Path $script:StandIn
    Set-Content -LiteralPath (Join-Path $script:StandIn 'JiraPSStandIn.psm1') -Value @'
function Get-JiraProject { 'stand-in project' }
function Get-JiraSession { 'stand-in session' }
function New-JiraSession { 'stand-in new session' }
'@
    $module = Get-JiraConnectModulePath
    $secret = Get-TestSecret CloudAdminToken
    $script:Connect = @"
`$credential = [pscredential]::new('admin@example.com', (ConvertTo-SecureString '$secret' -AsPlainText -Force))
JiraConnect\Connect-JiraSite -Url '$($script:Emulator.Url)' -Credential `$credential | Out-Null
"@
    $script:ImportStandIn = "Import-Module '$(Join-Path $script:StandIn 'JiraPSStandIn.psm1')'"
    $script:ImportJiraConnect = "Import-Module '$module'"

    function Invoke-Case([string] $Script) {
        $result = Invoke-FreshPwsh -Script ("`$ErrorActionPreference = 'Stop'`n" + $Script)
        $result.ExitCode | Should -Be 0 -Because ($result.Output | Out-String)
        $result
    }
}

AfterAll {
    $script:Emulator | Stop-JiraEmulator
}

Describe 'JiraConnect imported after a module with commands of the same name' {
    BeforeAll {
        $script:First = Invoke-Case (@($script:ImportStandIn, $script:ImportJiraConnect, $script:Connect,
                '"PROJECTS=$(@(JiraConnect\Get-JiraProject).Count)"',
                '"SESSION=$((JiraConnect\Get-JiraSession).GetType().Name)"',
                '"PLAIN=$(Get-JiraProject)"') -join "`n")
        $script:Warning = @($script:First.Output -split "`r?`n" | Where-Object { $_ -match 'WARNING:' })
    }

    It 'warns once, naming the commands, the other module and both fixes' {
        $script:Warning.Count | Should -Be 1
        $script:Warning[0] | Should -Match 'Get-JiraProject, Get-JiraSession are also defined by the loaded module JiraPSStandIn'
        $script:Warning[0] | Should -Match ([regex]::Escape('JiraConnect\Get-JiraProject'))
        $script:Warning[0] | Should -Match ([regex]::Escape('Import-Module JiraConnect -Prefix Jc'))
        $script:Warning[0] | Should -Match 'about_JiraConnect'
        $script:Warning[0] | Should -Not -Match 'New-JiraSession'
    }

    It 'module-qualified names reach JiraConnect against the emulator; the bare name runs the function' {
        $script:First.Output | Should -Match 'PROJECTS=7'
        $script:First.Output | Should -Match 'SESSION=JiraSession'
        $script:First.Output | Should -Match 'PLAIN=stand-in project'
    }

    It 'does not warn when imported with -Prefix, and the prefixed names work' {
        $result = Invoke-Case (@($script:ImportStandIn, "$($script:ImportJiraConnect) -Prefix Jc", $script:Connect,
                '"PROJECTS=$(@(Get-JcJiraProject).Count)"') -join "`n")
        $result.Output | Should -Not -Match 'WARNING:'
        $result.Output | Should -Match 'PROJECTS=7'
    }

    It 'is silenced by $WarningPreference' {
        $result = Invoke-Case (@("`$WarningPreference = 'SilentlyContinue'", $script:ImportStandIn, $script:ImportJiraConnect, 'Get-Date | Out-Null') -join "`n")
        $result.Output | Should -Not -Match 'WARNING:'
    }

    It 'does not warn without such a module' {
        $result = Invoke-Case (@($script:ImportJiraConnect, $script:Connect, '"PROJECTS=$(@(Get-JiraProject).Count)"') -join "`n")
        $result.Output | Should -Not -Match 'WARNING:'
        $result.Output | Should -Match 'PROJECTS=7'
    }
}

Describe 'A module with commands of the same name imported after JiraConnect' {
    It 'module-qualified names still reach JiraConnect (no warning: JiraConnect is not told of later imports)' {
        $result = Invoke-Case (@($script:ImportJiraConnect, $script:ImportStandIn, $script:Connect,
                '"PROJECTS=$(@(JiraConnect\Get-JiraProject).Count)"',
                '"SESSION=$((JiraConnect\Get-JiraSession).GetType().Name)"',
                '"PLAIN=$(Get-JiraProject)"') -join "`n")
        $result.Output | Should -Match 'PROJECTS=7'
        $result.Output | Should -Match 'SESSION=JiraSession'
        $result.Output | Should -Match 'PLAIN=stand-in project'
        $result.Output | Should -Not -Match 'WARNING:'
    }
}
