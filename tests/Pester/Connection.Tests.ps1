BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-JiraConnectModulePath) -Force
    $script:Cloud = Start-JiraEmulator -Flavor cloud -Projects 25
    $script:DataCenter = Start-JiraEmulator -Flavor datacenter -Projects 10
    $script:Cmd = 'JiraConnect.Commands.TestJiraConnectionCommand'
    $script:ListenerToken = ConvertTo-SecureString (Get-TestSecret EmulatorListenerToken) -AsPlainText -Force
    $script:Ready = 'DEV', 'FIN', 'IT'

    function Get-Check([object[]] $Checks, [string] $Name) { $Checks | Where-Object Name -eq $Name }
    function Get-ListenerAuthScheme([int] $AtLeast) {
        # The emulator logs a request just after answering it: poll briefly, with a deadline.
        Wait-Until -TimeoutSec 5 -What "$AtLeast listener requests in the emulator's log" -Condition {
            (Get-EmulatorRequest $script:Cloud -Path '/listener').Count -ge $AtLeast
        }
        @((Get-EmulatorRequest $script:Cloud -Path '/listener') | ForEach-Object { $_.authScheme })
    }
}

AfterAll {
    Get-JiraSession | Disconnect-JiraSite
    $script:Cloud, $script:DataCenter | Stop-JiraEmulator
}

Describe 'Test-JiraConnection' {
    BeforeEach {
        Reset-JiraEmulator $script:Cloud
        Reset-JiraEmulator $script:DataCenter
        $null = Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) -Name cloud
    }

    It 'runs every check, in order, and a healthy site passes them all' {
        $null = New-JiraWebhookRule -Session cloud -Name 'Integration: issue events' -ProjectKey IT -Uri (Get-EmulatorListenerUrl $script:Cloud) -Token $script:ListenerToken -Enable
        $checks = @(Test-JiraConnection -Session cloud -ProjectKey $script:Ready -ListenerUrl (Get-EmulatorListenerUrl $script:Cloud) -ListenerToken $script:ListenerToken)
        $checks.Name | Should -Be @('DnsResolution', 'TlsHandshake', 'Credentials', 'Account', 'CredentialExpiry', 'Deployment', 'OAuthTokenExpiry', 'OAuthRefresh',
            'OAuthScopes', 'OAuthAccessibleResources', 'ProjectAccess', 'ListenerDelivery', 'ListenerAuthentication', 'ListenerRule')
        $checks[0] | Should -BeOfType ([JiraConnect.JiraConnectionCheck])
        @($checks | Where-Object Status -notin 'Pass', 'NotApplicable') | Should -BeNullOrEmpty
        (Get-Check $checks Credentials).Detail | Should -Match 'API token of Ada Admin'
        (Get-Check $checks Account).Detail | Should -Match "active 'atlassian' account"
        (Get-Check $checks Deployment).Detail | Should -Match '^Cloud 1001\.0\.0-SNAPSHOT, REST API v3'
        (Get-Check $checks ProjectAccess).Detail | Should -Match '^All 3 projects are ready'
        (Get-Check $checks ListenerDelivery).Detail | Should -Match 'accepted a test POST with the Bearer token with 200'
        (Get-Check $checks ListenerAuthentication).Status | Should -Be 'Pass'
        Get-ListenerAuthScheme -AtLeast 2 | Should -Be @('Bearer', $null)
    }

    It 'warns when no enabled Automation rule sends to the listener, with the New-JiraWebhookRule command as the remedy' {
        $url = Get-EmulatorListenerUrl $script:Cloud
        $warn = Get-Check @(Test-JiraConnection -Session cloud -SkipProjectAccess -ListenerUrl $url -ListenerToken $script:ListenerToken) ListenerRule
        $warn.Status | Should -Be 'Warn'
        $warn.Detail | Should -Match 'No Automation rule sends to'
        $warn.Remedy | Should -Match 'New-JiraWebhookRule .*-Uri'
        $null = New-JiraWebhookRule -Session cloud -Name 'Integration: issue events' -ProjectKey IT -Uri $url -Token $script:ListenerToken
        $disabled = Get-Check @(Test-JiraConnection -Session cloud -SkipProjectAccess -ListenerUrl $url -ListenerToken $script:ListenerToken) ListenerRule
        $disabled.Status | Should -Be 'Warn'
        $disabled.Detail | Should -Match 'none is enabled'
        Get-JiraAutomationRule -Session cloud -Uri $url | Enable-JiraAutomationRule
        $pass = Get-Check @(Test-JiraConnection -Session cloud -SkipProjectAccess -ListenerUrl $url -ListenerToken $script:ListenerToken) ListenerRule
        $pass.Status | Should -Be 'Pass'
        $pass.Detail | Should -Match "'Integration: issue events'"
    }

    It 'reports OAuth checks as not applicable to a <Kind> session' -ForEach @(
        @{ Kind = 'API token'; Session = 'cloud' }
        @{ Kind = 'personal access token'; Session = 'dc' }
    ) {
        $null = Connect-JiraSite -Url $script:DataCenter.Url -PersonalAccessToken (ConvertTo-SecureString (Get-TestSecret DataCenterAdminPat) -AsPlainText -Force) -Name dc
        $oauth = @(Test-JiraConnection -Session $Session -SkipProjectAccess | Where-Object Name -like 'OAuth*')
        $oauth.Count | Should -Be 4
        $oauth | ForEach-Object { $_.Status | Should -Be 'NotApplicable'; $_.Detail | Should -Match "uses $Kind authentication" }
    }

    It 'summarises project access with what is missing and how to fix it' {
        $check = Test-JiraConnection -Session cloud | Where-Object Name -eq ProjectAccess
        $check.Status | Should -Be 'Fail'
        $check.Detail | Should -Match '^9 of 25 projects are not ready: HR \(lacks EDIT_ISSUES, TRANSITION_ISSUES, ASSIGN_ISSUES, DELETE_ISSUES, Role:Administrators\); MKT'
        $review = 'Test-JiraProjectAccess -ProjectKey HR,MKT,OPS,PAAAE,PAAAG,PAAAH,PAAAM,PAAAO,PAAAP | Where-Object { -not $_.Ready }'
        $check.Remedy | Should -BeExactly "Review with: $review; fix with: $review | Add-JiraProjectRoleActor"
    }

    It '-Quiet returns one boolean' {
        $healthy = @(Test-JiraConnection -Session cloud -ProjectKey $script:Ready -Quiet)
        $healthy.Count | Should -Be 1
        $healthy[0] | Should -BeOfType ([bool])
        $healthy[0] | Should -BeTrue
        Test-JiraConnection -Session cloud -ProjectKey HR -Quiet | Should -BeFalse
    }

    It 'a revoked token fails the credentials and skips what needs them' {
        Revoke-EmulatorToken $script:Cloud -Login 'admin@example.com'
        $checks = @(Test-JiraConnection -Session cloud)
        $credentials = Get-Check $checks Credentials
        $credentials.Status | Should -Be 'Fail'
        $credentials.Detail | Should -Match 'AuthenticationFailed'
        $credentials.Remedy | Should -Match 'API token'
        (Get-Check $checks Account).Status | Should -Be 'Skipped'
        (Get-Check $checks ProjectAccess).Status | Should -Be 'Skipped'
        (Get-Check $checks DnsResolution).Status | Should -Be 'Pass'
        Test-JiraConnection -Session cloud -Quiet | Should -BeFalse
    }

    It 'tests a site and credentials without a session and leaves none open' {
        $before = @(Get-JiraSession).Count
        $good = @(Test-JiraConnection -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) -ProjectKey DEV)
        $bad = @(Test-JiraConnection -Url $script:Cloud.Url -Credential (New-TestCredential 'admin@example.com' (Get-TestSecret WrongToken)))
        @(Get-JiraSession).Count | Should -Be $before
        (Get-Check $good Credentials).Status | Should -Be 'Pass'
        (Get-Check $good ProjectAccess).Status | Should -Be 'Pass'
        (Get-Check $bad Credentials).Status | Should -Be 'Fail'
        (Get-Check $bad Credentials).Detail | Should -Match 'AuthenticatedAsAnonymous'
        (Get-Check $bad Deployment).Status | Should -Be 'Skipped'
        $captcha = @(Test-JiraConnection -Url $script:Cloud.Url -Credential (New-TestCredential 'captcha@example.com' (Get-TestSecret CloudCaptchaToken)))
        (Get-Check $captcha Credentials).Detail | Should -Match 'CaptchaRequired'
        (Get-Check $captcha Credentials).Remedy | Should -Match 'answer the CAPTCHA'
        $pat = @(Test-JiraConnection -Url $script:DataCenter.Url -PersonalAccessToken (ConvertTo-SecureString (Get-TestSecret DataCenterAdminPat) -AsPlainText -Force) -SkipProjectAccess)
        (Get-Check $pat Deployment).Detail | Should -Match '^DataCenter 10\.3\.24, REST API v2'
        (Get-Check $pat Account).Detail | Should -Match 'is active'
    }

    It 'a listener that rejects the token fails with a readable remedy' {
        $wrong = ConvertTo-SecureString 'not-the-listener-token' -AsPlainText -Force
        $checks = @(Test-JiraConnection -Session cloud -SkipProjectAccess -ListenerUrl (Get-EmulatorListenerUrl $script:Cloud) -ListenerToken $wrong)
        $delivery = Get-Check $checks ListenerDelivery
        $delivery.Status | Should -Be 'Fail'
        $delivery.Detail | Should -Match 'rejected a test POST with the Bearer token with 401'
        $delivery.Remedy | Should -Match 'The token does not match'
        (Get-Check $checks ProjectAccess).Status | Should -Be 'NotApplicable'
    }

    It 'without a listener token the delivery is refused and the token check does not apply' {
        $checks = @(Test-JiraConnection -Session cloud -SkipProjectAccess -ListenerUrl (Get-EmulatorListenerUrl $script:Cloud))
        (Get-Check $checks ListenerDelivery).Remedy | Should -Match 'Pass the listener''s token with -ListenerToken'
        (Get-Check $checks ListenerAuthentication).Status | Should -Be 'NotApplicable'
    }

    It 'never sends the listener token over plain HTTP to another computer' {
        $checks = @(Test-JiraConnection -Session cloud -SkipProjectAccess -ListenerUrl 'http://listener.example.com/jira' -ListenerToken $script:ListenerToken)
        (Get-Check $checks ListenerDelivery).Status | Should -Be 'Fail'
        (Get-Check $checks ListenerDelivery).Detail | Should -Match 'no test delivery was sent'
        (Get-Check $checks ListenerAuthentication).Status | Should -Be 'Skipped'
    }

    It 'fails the account check when the account type is not the expected one' {
        $account = Test-JiraConnection -Session cloud -SkipProjectAccess -ExpectedAccountType app | Where-Object Name -eq Account
        $account.Status | Should -Be 'Fail'
        $account.Detail | Should -Match "'atlassian' account, not 'app'"
    }

    It 'refuses -Session together with -Url' {
        { Test-JiraConnection -Session cloud -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) } | Should -Throw -ErrorId "ParameterNotSupported,$script:Cmd"
    }

    It 'needs a session when no site is given' {
        Get-JiraSession | Disconnect-JiraSite
        { Test-JiraConnection } | Should -Throw -ErrorId "NotConnected,$script:Cmd"
    }

    It 'formats as a table of name, status and detail' {
        $text = Test-JiraConnection -Session cloud -SkipProjectAccess | Format-Table | Out-String -Width 160
        $text | Should -Match 'Name\s+Status\s+Detail'
        $text | Should -Match 'Credentials\s+Pass\s+Jira accepted'
    }
}
