# What a new user trips over: an unknown session name, a confirmation prompt that cannot be shown, a remedy printed
# twice, a refused port blamed on certificates, a personal access token on Jira Cloud, and -Role without completion.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-JiraConnectModulePath) -Force
    $script:Cloud = Start-JiraEmulator -Flavor cloud -Projects 25

    function Invoke-ChildPwsh {
        <# Runs a script in a fresh pwsh -NonInteractive with a cloud session named cloud; returns its output. #>
        param([Parameter(Mandatory)] [string] $Script)
        $prologue = "Import-Module '$(Get-JiraConnectModulePath)'; `$credential = [pscredential]::new('admin@example.com', (ConvertTo-SecureString `$env:JC_TEST_TOKEN -AsPlainText -Force)); `$null = Connect-JiraSite -Url `$env:JC_TEST_URL -Credential `$credential -Name cloud`n"
        $result = Invoke-FreshPwsh -Script ($prologue + $Script) -Environment @{ JC_TEST_TOKEN = (Get-TestSecret CloudAdminToken); JC_TEST_URL = $script:Cloud.Url }
        # Without the terminal's mode switches (ESC [?1h), which no test asserts and no XML report can hold.
        $result.Output -replace "`e\[[?0-9;]*[A-Za-z]", ''
    }

    function Get-ClosedPort {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $listener.Stop()
        $port
    }
}

AfterAll {
    Get-JiraSession | Disconnect-JiraSite
    $script:Cloud | Stop-JiraEmulator
}

Describe 'Errors a new user meets' {
    BeforeEach {
        Reset-JiraEmulator $script:Cloud
        $null = Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) -Name cloud
    }

    It 'shows the remedy once' {
        $e = { Get-JiraProject -Session cloud -Key NOPE -ErrorAction Stop } | Should -Throw -PassThru
        $remedy = $e.Exception.RecommendedAction
        $remedy | Should -Not -BeNullOrEmpty
        $e.ErrorDetails.Message | Should -Match ([regex]::Escape($remedy))
        $e.ErrorDetails.RecommendedAction | Should -BeNullOrEmpty
        # The error view wraps at the host's width: join its lines (and the '|' gutter) before counting.
        $text = ($e | Out-String -Width 400) -replace '\s*\r?\n\s*(\|\s?)?', ' ' -replace '\s+', ' '
        $text | Should -Match 'No project with key'
        ([regex]::Matches($text, [regex]::Escape(($remedy -replace '\s+', ' ')))).Count | Should -Be 1
    }

    It 'a refused port does not suggest certificate checks (Connect-JiraSite and Test-JiraConnection)' {
        $url = "http://127.0.0.1:$(Get-ClosedPort)"
        $e = { Connect-JiraSite -Url $url -Credential (Get-CloudAdminCredential) -Name refused } | Should -Throw -ErrorId 'ConnectionFailed,JiraConnect.Commands.ConnectJiraSiteCommand' -PassThru
        $e.Exception.Message | Should -Match 'refused'
        $e.Exception.RecommendedAction | Should -Match 'port'
        $e.Exception.RecommendedAction | Should -Not -Match 'certificate'
        $checks = Test-JiraConnection -Url $url -Credential (Get-CloudAdminCredential) -SkipProjectAccess
        ($checks | Where-Object Status -eq Fail) | Should -Not -BeNullOrEmpty
        ($checks | Where-Object Status -eq Fail).Remedy -join ' ' | Should -Not -Match 'certificate'
    }

    It 'a personal access token on Jira Cloud gets its own error' {
        $pat = ConvertTo-SecureString (Get-TestSecret DataCenterAdminPat) -AsPlainText -Force
        $e = { Connect-JiraSite -Url $script:Cloud.Url -PersonalAccessToken $pat -Name pat } | Should -Throw -ErrorId 'PersonalAccessTokenOnCloud,JiraConnect.Commands.ConnectJiraSiteCommand' -PassThru
        $e.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $e.Exception.Message | Should -Match 'Jira Cloud takes no personal access tokens; use an API token'
        $e.Exception.RecommendedAction | Should -Match '-Credential'
    }

    It 'a personal access token that Data Center refuses is still AuthenticationFailed' {
        $dc = Start-JiraEmulator -Flavor datacenter -Projects 3
        try {
            $pat = ConvertTo-SecureString 'NjQ4MzE-emu-pat-wrong-0000000000' -AsPlainText -Force
            { Connect-JiraSite -Url $dc.Url -PersonalAccessToken $pat -Name badpat } | Should -Throw -ErrorId 'AuthenticationFailed,JiraConnect.Commands.ConnectJiraSiteCommand'
        }
        finally { $dc | Stop-JiraEmulator }
    }
}

Describe 'Project role cmdlets for a new user' {
    BeforeEach {
        Reset-JiraEmulator $script:Cloud
        Get-JiraSession | Disconnect-JiraSite
    }

    It '-Role completes the well-known roles when nothing is known, trimming quotes and matching wildcards' {
        $line = "Add-JiraProjectRoleActor -ProjectKey IT -Role 'adm"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'Administrators'
        $line = 'Remove-JiraProjectRoleActor -ProjectKey IT -Role *e'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('Developers', 'Users')
    }

    It '-Role completes the session''s project roles' {
        $null = Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) -Name cloud
        $line = 'Add-JiraProjectRoleActor -Session cloud -ProjectKey IT -Role '
        $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $names | Should -Contain 'Administrators'
        $names | Should -Contain 'Developers'
        $line = "Add-JiraProjectRoleActor -Session cloud -ProjectKey IT -Role `"dev"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'Developers'
    }

    It '-WhatIf names the user by display name and email, not only the account id' {
        $out = Invoke-ChildPwsh "Add-JiraProjectRoleActor -Session cloud -ProjectKey HR -AccountId 5b10ac8d82e05b22cc7d4ef5 -Role Administrators -WhatIf"
        $text = "$out"
        $text | Should -Match 'What if: .*Add user Lee Limited <limited@example\.com> \(5b10ac8d82e05b22cc7d4ef5\)'
    }

    It 'Remove-JiraProjectRoleActor under -NonInteractive without -Confirm:$false says to add it' {
        $out = Invoke-ChildPwsh "try { Remove-JiraProjectRoleActor -Session cloud -ProjectKey IT -ErrorAction Stop } catch { 'ID=' + `$_.FullyQualifiedErrorId; 'MSG=' + `$_.ErrorDetails.Message }"
        $text = "$out"
        $text | Should -Match 'ID=ConfirmationRequired,JiraConnect\.Commands\.RemoveJiraProjectRoleActorCommand'
        $text | Should -Match ([regex]::Escape('-Confirm:$false'))
        $text | Should -Not -Match 'Read and Prompt functionality is not available'
        # And with -Confirm:$false it goes ahead.
        $done = Invoke-ChildPwsh "(Remove-JiraProjectRoleActor -Session cloud -ProjectKey IT -Confirm:`$false).Result"
        $done | Should -Match '(?m)Removed\s*$'
    }

    It 'every cmdlet that asks for confirmation says the same under -NonInteractive (Disconnect-JiraSite -Confirm)' {
        $out = Invoke-ChildPwsh "try { Get-JiraSession cloud | Disconnect-JiraSite -Confirm -ErrorAction Stop } catch { 'ID=' + `$_.FullyQualifiedErrorId }; 'LEFT=' + @(Get-JiraSession cloud).Count"
        $text = "$out"
        $text | Should -Match 'ID=ConfirmationRequired,JiraConnect\.Commands\.DisconnectJiraSiteCommand'
        $text | Should -Match 'LEFT=1'
    }
}
