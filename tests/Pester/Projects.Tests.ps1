BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-JiraConnectModulePath) -Force
    $script:Cloud = Start-JiraEmulator -Flavor cloud -Projects 25
    $script:DataCenter = Start-JiraEmulator -Flavor datacenter -Projects 25
    $script:CloudSession = Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) -Name cloud
    $script:DcSession = Connect-JiraSite -Url $script:DataCenter.Url -Credential (Get-DataCenterAdminCredential) -Name dc
    $script:Cmd = 'JiraConnect.Commands.GetJiraProjectCommand'
}

AfterAll {
    Get-JiraSession | Disconnect-JiraSite
    $script:Cloud, $script:DataCenter | Stop-JiraEmulator
}

Describe 'Get-JiraProject' {
    Context 'exact counts on <Flavor> with <Count> projects' -ForEach @(
        foreach ($count in 0, 1, 100, 101, 2500) { @{ Flavor = 'cloud'; Count = $count }; @{ Flavor = 'dc'; Count = $count } }
    ) {
        It 'returns exactly the seeded projects, each once, in key order' {
            $emulator = if ($Flavor -eq 'cloud') { $script:Cloud } else { $script:DataCenter }
            Reset-JiraEmulator $emulator -Projects $Count
            $projects = @(Get-JiraProject -Session $Flavor)
            $projects.Count | Should -Be $Count
            @($projects.Key | Sort-Object -Unique).Count | Should -Be $Count
            if ($Count -gt 1) { $projects.Key | Should -Be @($projects.Key | Sort-Object -CaseSensitive) }
            if ($Count -gt 0) { $projects[0] | Should -BeOfType ([JiraConnect.JiraProject]) }
        }
    }

    Context 'paging' {
        BeforeAll { Reset-JiraEmulator $script:Cloud -Projects 2500; Reset-JiraEmulator $script:DataCenter -Projects 250 }

        It 'reads Cloud in pages of 100 (<Flavor>)' -ForEach @(@{ Flavor = 'cloud' }) {
            Clear-EmulatorRequest $script:Cloud
            $null = Get-JiraProject -Session cloud
            $pages = Get-EmulatorRequest $script:Cloud -Path '/rest/api/3/project/search'
            $pages.Count | Should -Be 25
            $pages | ForEach-Object { $_.query | Should -Match 'maxResults=100' }
        }

        It '-Skip and -First select the same slice as the full list on <Flavor>' -ForEach @(@{ Flavor = 'cloud' }, @{ Flavor = 'dc' }) {
            $all = @(Get-JiraProject -Session $Flavor).Key
            $slice = @(Get-JiraProject -Session $Flavor -Skip 95 -First 10).Key
            $slice | Should -Be $all[95..104]
            @(Get-JiraProject -Session $Flavor -First 3).Key | Should -Be $all[0..2]
        }

        It '-First fetches only the pages it needs' {
            Clear-EmulatorRequest $script:Cloud
            $null = Get-JiraProject -Session cloud -Skip 150 -First 120
            $requests = Get-EmulatorRequest $script:Cloud -Path '/rest/api/3/project/search'
            $requests.Count | Should -Be 2
            $requests[0].query | Should -Match 'startAt=150'
        }

        It '-IncludeTotalCount reports the total first' {
            $result = @(Get-JiraProject -Session cloud -First 2 -IncludeTotalCount)
            $result.Count | Should -Be 3
            $result[0].ToString() | Should -Match '2500'
            $result[1] | Should -BeOfType ([JiraConnect.JiraProject])
        }

        It 'streams objects before the last page has arrived' {
            Reset-JiraEmulator $script:Cloud -Projects 300
            $null = Add-EmulatorFault $script:Cloud -Kind delay -DelayMs 3000 -Path '/rest/api/3/project/search' -After 2
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $firstAt = $null
            Get-JiraProject -Session cloud | ForEach-Object { if ($null -eq $firstAt) { $firstAt = $clock.ElapsedMilliseconds } }
            $firstAt | Should -BeLessThan 2500
            $clock.ElapsedMilliseconds | Should -BeGreaterThan 2900
        }

        It 'reports progress with the known total' {
            Reset-JiraEmulator $script:Cloud -Projects 250
            $ps = [powershell]::Create()
            $null = $ps.AddScript("Import-Module '$(Get-JiraConnectModulePath)'; `$ProgressPreference = 'Continue'; Get-JiraProject -Session cloud | Out-Null")
            $null = $ps.Invoke()
            $progress = @($ps.Streams.Progress | Where-Object RecordType -eq 'Processing')
            $ps.Dispose()
            $progress.Count | Should -BeGreaterOrEqual 3
            $progress[0].StatusDescription | Should -Be '100 of 250 projects'
            $progress[-1].PercentComplete | Should -Be 100
        }
    }

    Context 'filters and keys' {
        BeforeAll { Reset-JiraEmulator $script:Cloud -Projects 25; Reset-JiraEmulator $script:DataCenter -Projects 25 }

        It '-Key returns the named projects on <Flavor>' -ForEach @(@{ Flavor = 'cloud' }, @{ Flavor = 'dc' }) {
            $projects = Get-JiraProject -Session $Flavor -Key IT, HR
            $projects.Key | Should -Be @('HR', 'IT')
            ($projects | Where-Object Key -eq 'IT').Name | Should -Be 'IT Service Desk'
        }

        It 'takes keys from the pipeline by value' {
            ('DEV', 'OPS' | Get-JiraProject -Session cloud).Key | Should -Be @('DEV', 'OPS')
        }

        It 'takes keys from the pipeline by property name' {
            ([pscustomobject]@{ ProjectKey = 'FIN' }, [pscustomobject]@{ Key = 'MKT' } | Get-JiraProject -Session cloud).Key | Should -Be @('FIN', 'MKT')
            (Get-JiraProject -Session cloud -Key HR | Get-JiraProject -Session dc).Session | Should -Be 'dc'
        }

        It 'reports a key that is not visible as ProjectNotFound and goes on' {
            $projects = Get-JiraProject -Session cloud -Key IT, NOPE, HR -ErrorVariable err -ErrorAction SilentlyContinue
            $projects.Key | Should -Be @('HR', 'IT')
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be "ProjectNotFound,$script:Cmd"
            $err[0].TargetObject | Should -Be 'NOPE'
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It '-Query matches key or name on <Flavor>' -ForEach @(@{ Flavor = 'cloud' }, @{ Flavor = 'dc' }) {
            (Get-JiraProject -Session $Flavor -Query 'service desk').Key | Should -Be 'IT'
            (Get-JiraProject -Session $Flavor -Query 'nothing-like-this') | Should -BeNullOrEmpty
        }

        It '-Type filters by project type on <Flavor>' -ForEach @(@{ Flavor = 'cloud' }, @{ Flavor = 'dc' }) {
            $projects = @(Get-JiraProject -Session $Flavor -Type service_desk)
            $projects.Count | Should -BeGreaterThan 0
            $projects | ForEach-Object { $_.ProjectTypeKey | Should -Be 'service_desk' }
        }

        It '-Status deleted is refused on Data Center' {
            { Get-JiraProject -Session dc -Status deleted } | Should -Throw -ErrorId "ParameterNotSupported,$script:Cmd"
        }

        It 'a limited account sees only the projects it may browse' {
            $limited = Connect-JiraSite -Url $script:Cloud.Url -Credential (New-TestCredential 'limited@example.com' (Get-TestSecret CloudLimitedToken)) -Name limited
            $all = @(Get-JiraProject -Session cloud)
            $visible = @(Get-JiraProject -Session $limited)
            $visible.Count | Should -Be ([math]::Ceiling($all.Count / 2))
            $visible.Key | Should -Not -Contain 'IT'
            Disconnect-JiraSite -Name limited
        }

        It 'tab-completes -Key from the session projects' {
            $null = Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) -Name cloud
            $line = 'Get-JiraProject -Key I'
            $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $completion.CompletionMatches.CompletionText | Should -Contain 'IT'
            $completion.CompletionMatches.CompletionText | Should -Not -Contain 'HR'
        }

        It 'fills Lead with -IncludeLead only (<_>)' -ForEach 'cloud', 'dc' {
            $session = if ($_ -eq 'cloud') { 'cloud' } else { 'dc' }
            $led = @(Get-JiraProject -Session $session -Key IT, HR -IncludeLead)
            $led.Count | Should -Be 2
            $led.Lead | Should -Be @('Ada Admin', 'Ada Admin')
            (Get-JiraProject -Session $session -Key IT).Lead | Should -BeNullOrEmpty
            (Get-JiraProject -Session $session -First 3 -IncludeLead).Lead | Should -Be @('Ada Admin', 'Ada Admin', 'Ada Admin')
        }

        It 'tab-completes session names, quoted where PowerShell needs it' {
            $null = Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) -Name "cloud's copy"
            try {
                $line = 'Get-JiraSession -Name cloud'
                $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
                $completion.CompletionMatches.CompletionText | Should -Contain "'cloud''s copy'"
                $completion.CompletionMatches.ListItemText | Should -Contain "cloud's copy"
            }
            finally {
                Disconnect-JiraSite -Name "cloud's copy"
            }
        }

        It 'formats as a table with key, name and type' {
            $text = Get-JiraProject -Session cloud -Key IT | Format-Table | Out-String
            $text | Should -Match 'Key\s+Name\s+ProjectTypeKey'
            $text | Should -Match 'IT\s+IT Service Desk\s+service_desk'
        }
    }
}
