BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-JiraConnectModulePath) -Force
    $script:Cloud = Start-JiraEmulator -Flavor cloud -Projects 230 -Issues 120
    $script:DataCenter = Start-JiraEmulator -Flavor datacenter -Projects 30
    $null = Connect-JiraSite -Url $script:DataCenter.Url -Credential (Get-DataCenterAdminCredential) -Name dc
    $null = Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) -Name cloud
    $script:Cmd = 'JiraConnect.Commands.InvokeJiraRestMethodCommand'
}

AfterAll {
    Get-JiraSession | Disconnect-JiraSite
    $script:Cloud, $script:DataCenter | Stop-JiraEmulator
}

Describe 'Invoke-JiraRestMethod' {
    BeforeEach { Clear-EmulatorRequest $script:Cloud }

    It 'calls a path relative to the API base and returns objects' {
        $me = Invoke-JiraRestMethod myself
        $me.accountId | Should -Be '5b10a2844c20165700ede21g'
        $me.displayName | Should -Be 'Ada Admin'
        (Get-EmulatorRequest $script:Cloud -Path '/rest/api/3/myself').Count | Should -Be 1
    }

    It 'accepts site-rooted paths and full URLs on the same site' {
        (Invoke-JiraRestMethod '/rest/api/2/serverInfo').deploymentType | Should -Be 'Cloud'
        (Invoke-JiraRestMethod "$($script:Cloud.Url)/rest/api/3/myself").displayName | Should -Be 'Ada Admin'
    }

    It 'refuses a URL on another host so credentials never leave the site' {
        { Invoke-JiraRestMethod 'https://evil.example.com/rest/api/3/myself' } | Should -Throw -ErrorId "InvalidUrl,$script:Cmd"
    }

    Context 'a redirect to another host' {
        BeforeEach { $script:Other = Start-WebhookTestServer -Status 503 }
        AfterEach {
            $script:Other.Dispose()
            $null = Invoke-EmulatorAdmin $script:Cloud 'faults' -Method DELETE
        }

        It 'is refused with RedirectRefused naming the host, and the host gets no request (GET, 302)' {
            $null = Add-EmulatorFault $script:Cloud -Kind redirect -Status 302 -Path '/rest/api/3/myself' -Location $script:Other.Url -Times -1
            $result = Invoke-JiraRestMethod myself -ErrorVariable err -ErrorAction SilentlyContinue
            $result | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -Be "RedirectRefused,$script:Cmd"
            $err[0].CategoryInfo.Category | Should -Be 'SecurityError'
            $err[0].TargetObject | Should -Be "$($script:Cloud.Url)/rest/api/3/myself"
            $err[0].Exception.Message | Should -BeLike "*$($script:Other.Url.GetLeftPart([UriPartial]::Authority))*"
            $script:Other.Requests | Should -Be 0
            (Get-EmulatorRequest $script:Cloud -Path '/rest/api/3/myself').Count | Should -Be 1
        }

        It 'is refused for a PUT through a 307 as well' {
            $null = Add-EmulatorFault $script:Cloud -Kind redirect -Status 307 -Method PUT -Path '/rest/api/3/issue/DEV-1' -Location $script:Other.Url -Times -1
            Invoke-JiraRestMethod -Method PUT issue/DEV-1 -Body @{ fields = @{ summary = 'x' } } -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be "RedirectRefused,$script:Cmd"
            $script:Other.Requests | Should -Be 0
        }
    }

    It 'never shows the value of a secret query parameter (<Name>) in the verbose line or the error' -ForEach @(
        @{ Name = 'api_token' }, @{ Name = 'apiToken' }, @{ Name = 'access_token' }, @{ Name = 'refresh_token' }, @{ Name = 'id_token' },
        @{ Name = 'client_secret' }, @{ Name = 'password' }, @{ Name = 'api_key' }, @{ Name = 'jwt' }
    ) {
        $out = Invoke-JiraRestMethod project/NOPE -Query @{ $Name = 'secret-value'; expand = 'lead' } -Verbose -ErrorVariable err -ErrorAction SilentlyContinue 4>&1
        $verbose = @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
        $verbose | Should -Match "GET .*/rest/api/3/project/NOPE\?"
        $verbose | Should -Not -Match 'secret-value'
        $verbose | Should -Match "$Name=\*\*\*"
        $err[0].FullyQualifiedErrorId | Should -Be "NotFound,$script:Cmd"
        $err[0].TargetObject | Should -Not -Match 'secret-value'
        $err[0].TargetObject | Should -Match "$Name=\*\*\*"
        $err[0].TargetObject | Should -Match 'expand=lead'
        ($err[0] | Out-String) + $err[0].Exception.Message + $err[0].ErrorDetails.Message | Should -Not -Match 'secret-value'
        # The request itself carried the value: only what is shown is masked.
        (Get-EmulatorRequest $script:Cloud -Path '/rest/api/3/project/NOPE')[-1].query | Should -Match 'secret-value'
    }

    It 'enumerates JSON arrays and passes -Query' {
        $projects = @(Invoke-JiraRestMethod project -Session dc)
        $projects.Count | Should -Be 30
        $page = Invoke-JiraRestMethod project/search -Query @{ maxResults = 7; startAt = 3 }
        $page.values.Count | Should -Be 7
        $page.startAt | Should -Be 3
    }

    It '-Paginate follows startAt/isLast/values pages' {
        $all = @(Invoke-JiraRestMethod project/search -Query @{ maxResults = 50 } -Paginate)
        $all.Count | Should -Be 230
        @($all.key | Sort-Object -Unique).Count | Should -Be 230
        (Get-EmulatorRequest $script:Cloud -Path '/rest/api/3/project/search').Count | Should -Be 5
    }

    It '-Paginate follows nextPageToken pages' {
        $issues = @(Invoke-JiraRestMethod search/jql -Query @{ jql = 'project = DEV order by key'; maxResults = 25; fields = 'summary' } -Paginate)
        $issues.Count | Should -Be 120
        @($issues.key | Sort-Object -Unique).Count | Should -Be 120
        (Get-EmulatorRequest $script:Cloud -Path '/rest/api/3/search/jql').Count | Should -Be 5
    }

    It 'a 404 is a non-terminating NotFound with Jira''s message' {
        $result = Invoke-JiraRestMethod project/NOPE -ErrorVariable err -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be "NotFound,$script:Cmd"
        $err[0].ErrorDetails.Message | Should -Match 'Jira says:'
    }

    It '-WhatIf on a change sends nothing' {
        Invoke-JiraRestMethod -Method POST issue -Body @{ fields = @{ summary = 'Test' } } -WhatIf
        (Get-EmulatorRequest $script:Cloud -Path '/rest/api/3/issue').Count | Should -Be 0
    }

    It 'sends hashtables and objects as JSON' {
        $body = [pscustomobject]@{ fields = [ordered]@{ summary = 'Printer on fire'; project = @{ key = 'DEV' }; labels = @('a', 'b') } }
        $debug = Invoke-JiraRestMethod -Method POST issue -Body $body -Confirm:$false -Debug -ErrorAction SilentlyContinue 5>&1 |
            Where-Object { $_ -is [System.Management.Automation.DebugRecord] }
        ($debug.Message -match '"summary":"Printer on fire"').Count | Should -Be 1
        ($debug.Message -match '"labels":\["a","b"\]').Count | Should -Be 1
    }
}
