#Requires -Version 5.1
<#
    Checks the help of the built module: every exported cmdlet has real help (synopsis, description,
    examples with code and remarks, a description for every parameter), the help matches the cmdlet's
    parameters and parameter sets, and the about_JiraConnect topic is found.
    Run after the build: Invoke-Pester tests/Pester/Help.Tests.ps1
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $ModulePath = Get-JiraConnectModulePath
    $manifest = Import-PowerShellDataFile -Path $ModulePath

    # The module is imported during discovery too, so that each parameter becomes its own test.
    Import-Module $ModulePath -Force
    $commonParameters = @([System.Management.Automation.Cmdlet]::CommonParameters)
    if ($commonParameters.Count -eq 0) {
        $commonParameters = 'Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ProgressAction',
            'ErrorVariable', 'WarningVariable', 'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable'
    }

    $cmdletCases = foreach ($cmdletName in $manifest.CmdletsToExport) {
        $command = Get-Command -Name $cmdletName -Module JiraConnect -ErrorAction SilentlyContinue
        $parameterCases = @()
        if ($null -ne $command) {
            $parameterCases = @($command.Parameters.Keys |
                    Where-Object { $commonParameters -notcontains $_ } |
                    Sort-Object |
                    ForEach-Object { @{ CmdletName = $cmdletName; ParameterName = $_ } })
        }
        @{ Name = $cmdletName; ParameterCases = $parameterCases }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $ModulePath = Get-JiraConnectModulePath
    Import-Module $ModulePath -Force

    function Get-HelpText {
        # Help text properties are arrays of objects with a Text property, or plain strings.
        param($Value)
        $parts = foreach ($item in @($Value)) {
            if ($null -eq $item) { continue }
            if ($item -is [string]) { $item }
            elseif ($null -ne $item.PSObject.Properties['Text']) { [string] $item.Text }
            else { [string] $item }
        }
        return (($parts -join "`n").Trim())
    }
}

Describe 'Help for <Name>' -ForEach $cmdletCases {
    BeforeAll {
        $command = Get-Command -Name $Name -Module JiraConnect
        $help = Get-Help -Name $Name -Full
    }

    It 'comes from the MAML help file, not from the generated stub' {
        $command.HelpFile | Should -Not -BeNullOrEmpty
        $helpFile = Join-Path (Join-Path $command.Module.ModuleBase 'en-US') (Split-Path -Path $command.HelpFile -Leaf)
        $helpFile | Should -Exist
        $help.Name | Should -Be $Name
    }

    It 'opens the module''s own page online, the same one the markdown names' {
        $prefix = 'https://github.com/jiraconnect/JiraConnect/blob/main/docs/en-US/'
        $command.HelpUri | Should -Be "$prefix$Name.md"
        Join-Path $PSScriptRoot "../../docs/en-US/$Name.md" | Should -Exist
        (Get-Content (Join-Path $PSScriptRoot "../../docs/en-US/$Name.md") -TotalCount 6) | Should -Contain "online version: $prefix$Name.md"
        # Get-Help -Online opens the first related link that has a URI.
        @($help.relatedLinks.navigationLink | Where-Object { $_.uri })[0].uri | Should -Be "$prefix$Name.md"
    }

    It 'has a synopsis that is not the generated syntax' {
        $synopsis = Get-HelpText $help.Synopsis
        $synopsis | Should -Not -BeNullOrEmpty
        $synopsis | Should -Not -BeLike "$Name*" -Because 'Get-Help puts the syntax in the synopsis when there is no help'
        $synopsis | Should -Not -Match '\[<CommonParameters>\]|\[-\w+'
        $synopsis.Length | Should -BeGreaterThan 20
    }

    It 'has a description' {
        $description = Get-HelpText $help.Description
        $description | Should -Not -BeNullOrEmpty
        $description.Length | Should -BeGreaterThan 80
    }

    It 'has at least two examples' {
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
    }

    It 'has a title, code and remarks in every example' {
        $examples = @($help.Examples.Example)
        $examples.Count | Should -BeGreaterThan 0
        foreach ($example in $examples) {
            $title = Get-HelpText $example.Title
            $title | Should -Not -BeNullOrEmpty
            Get-HelpText $example.Code | Should -Not -BeNullOrEmpty -Because "example '$title' needs code"
            Get-HelpText $example.Remarks | Should -Not -BeNullOrEmpty -Because "example '$title' needs remarks"
        }
    }

    It 'uses the cmdlet in its examples' {
        $code = (@($help.Examples.Example) | ForEach-Object { Get-HelpText $_.Code }) -join "`n"
        $code | Should -Match ([regex]::Escape($Name))
    }

    It 'has no literal secrets in its examples' {
        $code = (@($help.Examples.Example) | ForEach-Object { Get-HelpText $_.Code }) -join "`n"
        $code | Should -Not -Match 'ConvertTo-SecureString\s+.*-AsPlainText'
        $code | Should -Not -Match '(?i)(password|token)\s*=\s*[''"][^''"]{6,}[''"]'
    }

    It 'documents the same parameter sets as the cmdlet has' {
        $syntaxItems = @($help.Syntax.SyntaxItem)
        $syntaxItems.Count | Should -Be @($command.ParameterSets).Count
    }

    It 'documents only parameters that the cmdlet has' {
        # A cmdlet without parameters has an empty parameter list in its help.
        $documented = @($help.Parameters.Parameter | ForEach-Object { $_.Name } | Where-Object { $_ })
        foreach ($parameterName in $documented) {
            $command.Parameters.Keys | Should -Contain $parameterName -Because "the help documents -$parameterName"
        }
    }

    Context 'Parameter -<ParameterName>' -ForEach $ParameterCases {
        BeforeAll {
            $helpParameter = @($help.Parameters.Parameter) | Where-Object { $_.Name -eq $ParameterName } | Select-Object -First 1
            $commandParameter = (Get-Command -Name $CmdletName -Module JiraConnect).Parameters[$ParameterName]
        }

        It 'is documented with a description' {
            $helpParameter | Should -Not -BeNullOrEmpty -Because "-$ParameterName of $CmdletName needs help"
            Get-HelpText $helpParameter.Description | Should -Not -BeNullOrEmpty
        }

        It 'has the type of the real parameter' {
            $helpParameter | Should -Not -BeNullOrEmpty
            $expected = $commandParameter.ParameterType.Name
            if ($commandParameter.ParameterType -eq [System.Management.Automation.SwitchParameter]) { $expected = 'SwitchParameter' }
            Get-HelpText $helpParameter.Type.Name | Should -Be $expected
        }
    }
}

Describe 'The about_JiraConnect topic' {
    BeforeAll {
        $about = Get-Help -Name about_JiraConnect
        $aboutText = ($about | Out-String)
    }

    It 'is found by Get-Help' {
        $about | Should -Not -BeNullOrEmpty
        $aboutText | Should -Match 'about_JiraConnect'
    }

    It 'has a short and a long description' {
        $aboutText | Should -Match 'SHORT DESCRIPTION'
        $aboutText | Should -Match 'LONG DESCRIPTION'
    }

    It 'describes the three ways to connect' {
        $aboutText | Should -Match 'webhook'
        $aboutText | Should -Match 'API token'
        $aboutText | Should -Match 'OAuth 2\.0'
    }

    It 'keeps the lines of a code block' {
        $aboutText | Should -Match ('(?m)^\s+Get-JiraAccessibleResource -Token \$token\r?\n\s+Connect-JiraSite -OAuthToken \$token -Url https://contoso\.atlassian\.net\r?\n\s+Get-JiraProject\r?$')
        $aboutText | Should -Match ('(?m)^\s+\$credential = Get-Credential .*\r?\n\s+Connect-JiraSite -Url https://contoso\.atlassian\.net -Credential \$credential\r?$')
    }

    It 'lists every exported cmdlet' {
        $manifest = Import-PowerShellDataFile -Path $ModulePath
        foreach ($cmdletName in $manifest.CmdletsToExport) {
            $aboutText | Should -Match ([regex]::Escape($cmdletName))
        }
    }
}
