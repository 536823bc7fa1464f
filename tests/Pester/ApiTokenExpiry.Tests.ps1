BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-JiraConnectModulePath) -Force
    # The emulator dates its seeded tokens from its start: taken here, every expected date is within a minute of it.
    $script:Start = [DateTimeOffset]::UtcNow
    $script:Emu = Start-JiraEmulator -Flavor cloud -Projects 3
    $script:Cmd = 'JiraConnect.Commands.GetJiraApiTokenExpiryCommand'
    $script:Org = Get-EmulatorOrganizationId
    function Get-Tokens { param([hashtable] $Extra = @{})
        Get-JiraApiTokenExpiry -OrganizationId $script:Org -AdminApiKey (Get-OrgAdminApiKey) -Environment $script:Emu.Url @Extra
    }
    function Get-TokenRequest { @(Get-EmulatorRequest $script:Emu -Path '/admin/api-access/v1/orgs/') }
    $script:AllLabels = 'Integration connector', 'Old laptop script', 'Reporting', 'Jira sync', 'Nightly export', 'Spreadsheet import', 'Build pipeline'
}

AfterAll { $script:Emu | Stop-JiraEmulator }

Describe 'Get-JiraApiTokenExpiry' {
    BeforeEach { Clear-EmulatorRequest $script:Emu }

    It 'lists every token of the organization across the pages, with the org API key as Bearer' {
        $tokens = @(Get-Tokens)
        $tokens.Label | Should -Be $script:AllLabels
        $tokens | ForEach-Object { $_ | Should -BeOfType ([JiraConnect.JiraApiTokenExpiry]) }
        $log = Get-TokenRequest
        $log.Count | Should -Be 3
        $log.authScheme | Should -Be @('Bearer', 'Bearer', 'Bearer')
        $log.status | Should -Be @(200, 200, 200)
        $log[0].query | Should -BeNullOrEmpty
        $log[1].query | Should -Match '^cursor='
        $log[2].query | Should -Match '^cursor='
        $log[1].query | Should -Not -Be $log[2].query
    }

    It 'gives each token''s dates, days left, owner and organization' {
        $tokens = Get-Tokens
        $connector = $tokens | Where-Object Label -EQ 'Integration connector'
        $connector.Id | Should -Be 'b1f0c8e2-0001-4a6e-9d2b-6c1f3a5e7d01'
        $connector.Status | Should -Be 'ALLOWED'
        ($connector.ExpiresAt - $script:Start.AddDays(10)).Duration() | Should -BeLessThan ([TimeSpan]::FromMinutes(1))
        ($connector.CreatedAt - $script:Start.AddDays(-355)).Duration() | Should -BeLessThan ([TimeSpan]::FromMinutes(1))
        ($connector.LastActiveAt - $script:Start.AddDays(-1).AddHours(-2)).Duration() | Should -BeLessThan ([TimeSpan]::FromMinutes(1))
        $connector.DaysLeft | Should -Be 10
        $connector.Expired | Should -BeFalse
        $connector.UserEmail | Should -Be 'admin@example.com'
        $connector.UserName | Should -Be 'Ada Admin'
        $connector.UserAccountId | Should -Be '5b10a2844c20165700ede21g'
        $connector.OrganizationId | Should -Be $script:Org

        $old = $tokens | Where-Object Label -EQ 'Old laptop script'
        $old.Expired | Should -BeTrue
        $old.DaysLeft | Should -Be -5
        ($tokens | Where-Object Label -EQ 'Spreadsheet import').LastActiveAt | Should -BeNullOrEmpty
        ($tokens | Where-Object Label -EQ 'Reporting').DaysLeft | Should -Be 200
    }

    It '-Email keeps the tokens of the named users (case-insensitive, with wildcards)' {
        (Get-Tokens -Extra @{ Email = 'ADMIN@example.com' }).Label | Should -Be @('Integration connector', 'Old laptop script')
        (Get-Tokens -Extra @{ Email = '*@serviceaccount.atlassian.com' }).Label | Should -Be @('Jira sync', 'Nightly export')
        (Get-Tokens -Extra @{ Email = 'limited@example.com', 'dev@*' }).Label | Should -Be @('Reporting', 'Spreadsheet import', 'Build pipeline')
        @(Get-Tokens -Extra @{ Email = 'nobody@example.com' }).Count | Should -Be 0
    }

    It '-ExpiringWithinDays keeps the tokens that expire within that many days or have expired' {
        (Get-Tokens -Extra @{ ExpiringWithinDays = 30 }).Label | Should -Be @('Integration connector', 'Old laptop script', 'Jira sync', 'Build pipeline')
        (Get-Tokens -Extra @{ ExpiringWithinDays = 30; Email = 'admin@example.com' }).Label | Should -Be @('Integration connector', 'Old laptop script')
        (Get-Tokens -Extra @{ ExpiringWithinDays = 0 }).Label | Should -Be @('Old laptop script', 'Build pipeline')
    }

    It 'pipes into a runbook''s warning: ExpiresAt compares with a date, and the organization comes by property name' {
        $soon = @([pscustomobject]@{ OrganizationId = $script:Org } |
                Get-JiraApiTokenExpiry -AdminApiKey (Get-OrgAdminApiKey) -Environment $script:Emu.Url |
                Where-Object { -not $_.Expired -and $_.ExpiresAt -lt (Get-Date).AddDays(30) })
        $soon.Label | Should -Be @('Integration connector', 'Jira sync')
        $warnings = $soon | ForEach-Object { Write-Warning "$($_.UserEmail): '$($_.Label)' expires in $($_.DaysLeft) days" } 3>&1
        "$($warnings[0])" | Should -Be "admin@example.com: 'Integration connector' expires in 10 days"
    }

    It 'shows a table whose headers are the properties, with never for a token never used' {
        $text = Get-Tokens | Format-Table | Out-String -Width 200
        $text | Should -Match 'UserEmail\s+Label\s+Status\s+ExpiresAt\s+DaysLeft\s+LastActiveAt'
        $text | Should -Match 'dev@example\.com\s+Spreadsheet import\s+ALLOWED\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+45 never'
    }

    It 'a wrong API key fails with AdminApiKeyRejected, says what key to make, and never shows the key' {
        $wrongKey = 'ATCTT3xFfGF0-not-the-org-key-Zq4Wn8Tb'
        $e = { Get-JiraApiTokenExpiry -OrganizationId $script:Org -AdminApiKey (ConvertTo-SecureString $wrongKey -AsPlainText -Force) -Environment $script:Emu.Url -ErrorAction Stop } |
            Should -Throw -ErrorId "AdminApiKeyRejected,$script:Cmd" -PassThru
        $e.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $e.Exception.RecommendedAction | Should -Match 'read:tokens:admin'
        $e.Exception.RecommendedAction | Should -Match 'API keys'
        ($e | Format-List * -Force | Out-String) + $e.Exception.ToString() + "$($e.ErrorDetails)" | Should -Not -Match ([regex]::Escape($wrongKey))
        (Get-TokenRequest).status | Should -Be @(401)
    }

    It 'a key without read:tokens:admin fails with AdminApiKeyScopeMissing naming the scope' {
        $e = { Get-JiraApiTokenExpiry -OrganizationId $script:Org -AdminApiKey (Get-OrgAdminApiKey -WithoutScope) -Environment $script:Emu.Url -ErrorAction Stop } |
            Should -Throw -ErrorId "AdminApiKeyScopeMissing,$script:Cmd" -PassThru
        $e.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $e.Exception.Message | Should -Match 'read:tokens:admin'
        $e.Exception.RecommendedAction | Should -Match 'read:tokens:admin'
    }

    It 'an unknown organization fails with OrganizationNotFound, the organization ID as its target' {
        $e = { Get-JiraApiTokenExpiry -OrganizationId 'no-such-org' -AdminApiKey (Get-OrgAdminApiKey) -Environment $script:Emu.Url -ErrorAction Stop } |
            Should -Throw -ErrorId "OrganizationNotFound,$script:Cmd" -PassThru
        $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $e.TargetObject | Should -Be 'no-such-org'
        $e.Exception.RecommendedAction | Should -Match 'admin\.atlassian\.com/o/'
    }

    It 'a failure for one organization of the pipeline does not stop the next' {
        $tokens = @('no-such-org', $script:Org) | ForEach-Object { [pscustomobject]@{ OrganizationId = $_ } } |
            Get-JiraApiTokenExpiry -AdminApiKey (Get-OrgAdminApiKey) -Environment $script:Emu.Url -ErrorVariable failures -ErrorAction SilentlyContinue
        @($tokens).Count | Should -Be 7
        $failures.FullyQualifiedErrorId | Should -Be "OrganizationNotFound,$script:Cmd"
    }
}
