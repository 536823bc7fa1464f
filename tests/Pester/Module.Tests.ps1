BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ManifestPath = Get-JiraConnectModulePath
    $script:Manifest = Import-PowerShellDataFile $script:ManifestPath
    Import-Module $script:ManifestPath -Force
}

Describe 'Module manifest and surface' {
    It 'declares both editions, 5.1 and no functions' {
        $script:Manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $script:Manifest.PowerShellVersion | Should -Be '5.1'
        $script:Manifest.FunctionsToExport.Count | Should -Be 0
        $script:Manifest.FormatsToProcess | Should -Be 'JiraConnect.format.ps1xml'
    }

    It 'writes its lists as comma lists, which PowerShell evaluates without compiling a dynamic call site' {
        # A non-empty @(...) in a manifest costs every import a call site compiled at load time (docs/performance.md).
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($script:ManifestPath, [ref]$null, [ref]$null)
        $arrays = $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.ArrayExpressionAst] }, $true)
        @($arrays | Where-Object { $_.SubExpression.Statements.Count -gt 0 } | ForEach-Object Extent | ForEach-Object Text) | Should -BeNullOrEmpty
        $script:Manifest.CmdletsToExport.Count | Should -BeGreaterThan 1
    }

    It 'exports exactly the cmdlets the manifest lists' {
        $exported = (Get-Command -Module JiraConnect).Name | Sort-Object
        $exported | Should -Be ($script:Manifest.CmdletsToExport | Sort-Object)
        (Get-Command -Module JiraConnect).CommandType | Sort-Object -Unique | Should -Be 'Cmdlet'
    }

    It 'checks every exported cmdlet for a command of the same name from another module at import' {
        # The import-time check (CommandNameConflict) keeps a list of the names instead of scanning the assembly.
        $names = [JiraConnect.Commands.ModuleInitializer].Assembly.GetType('JiraConnect.Commands.CommandNameConflict').GetField('CmdletNames', [System.Reflection.BindingFlags]'NonPublic,Static').GetValue($null)
        $names | Sort-Object | Should -Be ($script:Manifest.CmdletsToExport | Sort-Object)
    }

    It 'the README cmdlet table names exactly the exported cmdlets' {
        $readme = Get-Content -Raw (Join-Path $PSScriptRoot '../../README.md')
        $table = ([regex]::Match($readme, '(?ms)^## Cmdlets\s*$(.*?)^## ')).Groups[1].Value -split "`n" | Where-Object { $_ -match '^\| `' }
        $named = $table | ForEach-Object { ($_ -split '\|')[1] } | ForEach-Object { [regex]::Matches($_, '`([A-Za-z]+-Jira[A-Za-z]+)`') } | ForEach-Object { $_.Groups[1].Value }
        $named | Sort-Object -Unique | Should -Be ($script:Manifest.CmdletsToExport | Sort-Object)
    }

    It 'uses approved verbs, declares OutputType and names a default set where there are several (<Name>)' -ForEach @(
        (Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../JiraConnect.psd1')).CmdletsToExport | ForEach-Object { @{ Name = $_ } }
    ) {
        $command = Get-Command $Name
        (Get-Verb).Verb | Should -Contain $command.Verb
        $command.OutputType.Count | Should -BeGreaterThan 0
        if ($command.ParameterSets.Count -gt 1) { $command.DefaultParameterSet | Should -Not -BeNullOrEmpty }
    }

    It 'the assembly version follows the manifest version' {
        $assembly = [JiraConnect.Commands.ConnectJiraSiteCommand].Assembly.GetName().Version
        $assembly.ToString(3) | Should -Be $script:Manifest.ModuleVersion
    }

    It 'ships third-party assemblies in dependencies/ only' {
        $folder = Split-Path $script:ManifestPath
        (Get-ChildItem $folder -Filter *.dll).Name | Sort-Object | Should -Be @('JiraConnect.Core.dll', 'JiraConnect.dll')
        (Get-ChildItem (Join-Path $folder 'dependencies') -Filter *.dll).Name | Should -Contain 'System.Text.Json.dll'
        Test-Path (Join-Path $folder 'System.Management.Automation.dll') | Should -BeFalse
    }

    It 'can be removed and imported again in one session' {
        Remove-Module JiraConnect
        Get-Module JiraConnect | Should -BeNullOrEmpty
        Import-Module $script:ManifestPath
        (Get-Command Connect-JiraSite).Module.Name | Should -Be 'JiraConnect'
    }
}
