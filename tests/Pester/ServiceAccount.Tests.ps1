BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-JiraConnectModulePath) -Force
    $script:Emu = Start-JiraEmulator -Flavor cloud -Projects 9
    $script:Connect = 'JiraConnect.Commands.ConnectJiraSiteCommand'
    $script:GetProject = 'JiraConnect.Commands.GetJiraProjectCommand'
    $script:Account = Get-EmulatorServiceAccount
    # The service account may see every third project: positions 0, 3 and 6 of the nine.
    $script:ServiceProjects = @('DEV', 'IT', 'PAAAA')

    function Connect-Service { param([hashtable] $Extra = @{})
        Connect-JiraSite -Url $script:Emu.Url -ClientCredential (Get-ServiceClientCredential) -Environment $script:Emu.Url @Extra
    }
    function Get-GatewayOrTokenRequest {
        @((Get-EmulatorRequest $script:Emu) | Where-Object { $_.path -like '/ex/jira/*' -or $_.path -eq '/oauth/token' })
    }
}

AfterAll {
    Get-JiraSession | Disconnect-JiraSite
    $script:Emu | Stop-JiraEmulator
}

Describe 'Connect-JiraSite -ClientCredential (Jira Cloud service account)' {
    BeforeEach { Reset-JiraEmulator $script:Emu }
    AfterEach { Get-JiraSession | Disconnect-JiraSite }

    It 'gets a token with the client credentials grant, finds the cloud ID from the site and lists exactly the service account''s projects' {
        $session = Connect-Service
        $session.AuthenticationType | Should -Be 'ClientCredentials'
        $session.CloudId | Should -Be (Get-EmulatorCloudId)
        $session.ApiBaseUrl.AbsoluteUri | Should -Be "$($script:Emu.Url)/ex/jira/$(Get-EmulatorCloudId)/rest/api/3/"
        $session.User.DisplayName | Should -Be 'Jira Sync (service account)'
        $session.ClientCredential.ClientId | Should -Be $script:Account.ClientId
        $session.ClientCredential.RequestFormat | Should -Be 'form'
        $session.ClientCredential.HasRefreshToken | Should -BeFalse
        $session.TokenExpiresAt | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddMinutes(55))
        (Get-JiraProject).Key | Should -Be $script:ServiceProjects

        (Get-EmulatorRequest $script:Emu -Path '/_edge/tenant_info').Count | Should -Be 1
        (Get-EmulatorRequest $script:Emu -Path '/oauth/token').status | Should -Be @(200)
        @(Get-EmulatorIssuedSecret $script:Emu -Kind refresh_token).Count | Should -Be 0
        @(Get-EmulatorIssuedSecret $script:Emu -Kind access_token).Count | Should -Be 1
    }

    It 'connects with -CloudId alone' {
        $session = Connect-JiraSite -CloudId (Get-EmulatorCloudId) -ClientCredential (Get-ServiceClientCredential) -Environment $script:Emu.Url
        $session.AuthenticationType | Should -Be 'ClientCredentials'
        (Get-JiraProject).Key | Should -Be $script:ServiceProjects
        (Get-EmulatorRequest $script:Emu -Path '/_edge/tenant_info').Count | Should -Be 0
    }

    It 'sends the token request as JSON when the token endpoint refuses a form body' {
        $null = Invoke-EmulatorAdmin $script:Emu 'service-accounts/settings' -Method PUT -Body @{ tokenRequestFormat = 'json' }
        $session = Connect-Service
        $session.ClientCredential.RequestFormat | Should -Be 'json'
        (Get-EmulatorRequest $script:Emu -Path '/oauth/token').status | Should -Be @(400, 200)
        (Get-JiraProject).Key | Should -Be $script:ServiceProjects
        # Remembered: the next token request goes as JSON at once.
        $null = Move-EmulatorClock $script:Emu -Seconds 3601
        Clear-EmulatorRequest $script:Emu
        (Get-JiraProject).Key | Should -Be $script:ServiceProjects
        (Get-EmulatorRequest $script:Emu -Path '/oauth/token').status | Should -Be @(200)
    }

    It 'replaces a token the gateway refuses as expired without a failed call' {
        $session = Connect-Service
        $null = Move-EmulatorClock $script:Emu -Seconds 3601
        Clear-EmulatorRequest $script:Emu
        (Get-JiraProject -ErrorAction Stop).Key | Should -Be $script:ServiceProjects
        $log = Get-GatewayOrTokenRequest
        ($log | ForEach-Object { "$($_.method) $($_.path -replace '^/ex/jira/[^/]+', '/ex/jira/{id}') $($_.status)" }) |
            Should -Be @('GET /ex/jira/{id}/rest/api/3/project/search 401', 'POST /oauth/token 200', 'GET /ex/jira/{id}/rest/api/3/project/search 200')
        $session.ClientCredential.TokenCount | Should -Be 2
        @(Get-EmulatorIssuedSecret $script:Emu -Kind refresh_token).Count | Should -Be 0
    }

    It 'asks for a new token shortly before the current one expires, before any call is refused' {
        $null = Set-EmulatorOAuthSetting $script:Emu -AccessTokenLifetimeSeconds 2
        $session = Connect-Service
        $expires = $session.TokenExpiresAt
        # The margin is a quarter of a short lifetime (five minutes of an hour-long one).
        Wait-Until { [DateTimeOffset]::UtcNow -ge $expires.AddMilliseconds(-450) } -TimeoutSec 10 -What 'the renewal margin'
        Clear-EmulatorRequest $script:Emu
        (Get-JiraProject -First 1 -ErrorAction Stop).Key | Should -Be 'DEV'
        $log = Get-GatewayOrTokenRequest
        $log[0].path | Should -Be '/oauth/token'
        $log.status | Should -Not -Contain 401
        $session.TokenExpiresAt | Should -BeGreaterThan $expires
    }

    It 'a revoked client secret fails the connection with ClientCredentialRejected and says how to make a new one' {
        Revoke-EmulatorClientCredential $script:Emu -ClientId $script:Account.ClientId
        $e = { Connect-Service } | Should -Throw -ErrorId "ClientCredentialRejected,$script:Connect" -PassThru
        $e.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $e.Exception.RecommendedAction | Should -Match 'Service accounts'
        $e.Exception.RecommendedAction | Should -Match 'create a new one'
        "$($e.TargetObject)".TrimEnd('/') | Should -Be $script:Emu.Url
    }

    It 'a secret revoked during the session fails the next call with ClientCredentialRejected' {
        $null = Connect-Service
        Revoke-EmulatorClientCredential $script:Emu -ClientId $script:Account.ClientId
        { Get-JiraProject -ErrorAction Stop } | Should -Throw -ErrorId "ClientCredentialRejected,$script:GetProject"
    }

    It 'a wrong client secret fails with ClientCredentialRejected' {
        $wrong = New-TestCredential $script:Account.ClientId 'ATSAemu-not-the-secret'
        { Connect-JiraSite -Url $script:Emu.Url -ClientCredential $wrong -Environment $script:Emu.Url } | Should -Throw -ErrorId "ClientCredentialRejected,$script:Connect"
    }

    It 'needs -Url or -CloudId' {
        { Connect-JiraSite -ClientCredential (Get-ServiceClientCredential) -Environment $script:Emu.Url } | Should -Throw -ErrorId "ParameterNotSupported,$script:Connect"
    }

    It 'a scope the credential does not have is refused by the token endpoint with OAuthScopeMissing' {
        { Connect-Service -Extra @{ Scope = 'write:jira-work' } } | Should -Throw -ErrorId "OAuthScopeMissing,$script:Connect"
    }
}

Describe 'Connect-JiraSite -ClientCredential (Jira Data Center service account)' {
    BeforeAll {
        $script:Dc = Start-JiraEmulator -Flavor datacenter -Projects 9
        $script:RestMethod = 'JiraConnect.Commands.InvokeJiraRestMethodCommand'
        function Connect-DcService { param([hashtable] $Extra = @{})
            Connect-JiraSite -Url $script:Dc.Url -ClientCredential (Get-ServiceClientCredential -DataCenter) @Extra
        }
    }
    AfterAll { $script:Dc | Stop-JiraEmulator }
    BeforeEach { Reset-JiraEmulator $script:Dc }
    AfterEach { Get-JiraSession | Disconnect-JiraSite }

    It 'gets a token from the site''s /rest/oauth2/latest/token, calls REST v2 with it and lists exactly the service account''s projects' {
        $session = Connect-DcService
        $session.AuthenticationType | Should -Be 'ClientCredentials'
        $session.IsCloud | Should -BeFalse
        $session.ApiBaseUrl.AbsoluteUri | Should -Be "$($script:Dc.Url)/rest/api/2/"
        $session.ClientCredential.TokenUrl.AbsoluteUri | Should -Be "$($script:Dc.Url)/rest/oauth2/latest/token"
        $session.ClientCredential.IsDataCenter | Should -BeTrue
        $session.User.Name | Should -Be 'svc-jira-sync'
        (Get-JiraProject).Key | Should -Be $script:ServiceProjects
        (Get-EmulatorRequest $script:Dc -Path '/rest/oauth2/latest/token').status | Should -Be @(200)
        (Get-EmulatorRequest $script:Dc -Path '/rest/api/2/project').authScheme | Should -Be @('Bearer')
        (Get-EmulatorRequest $script:Dc -Path '/rest/api/2/myself').authScheme | Should -Be @('Bearer')
        (Get-EmulatorRequest $script:Dc -Path '/rest/api/2/').status | Should -Not -Contain 401
        (Get-EmulatorRequest $script:Dc -Path '/rest/api/3').Count | Should -Be 0
    }

    It 'a WRITE scope the credential lacks is refused by the token endpoint with OAuthScopeMissing' {
        $e = { Connect-DcService -Extra @{ Scope = 'WRITE' } } | Should -Throw -ErrorId "OAuthScopeMissing,$script:Connect" -PassThru
        $e.Exception.RecommendedAction | Should -Match 'READ'
    }

    It 'an administration endpoint gives ServiceAccountEndpointRefused, explained and not retried' {
        $null = Connect-DcService
        Clear-EmulatorRequest $script:Dc
        $e = { Invoke-JiraRestMethod '/rest/whitelist/latest/' -ErrorAction Stop } | Should -Throw -ErrorId "ServiceAccountEndpointRefused,$script:RestMethod" -PassThru
        $e.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $e.Exception.Message | Should -Match 'SYSTEM_ADMIN'
        $e.Exception.RecommendedAction | Should -Match 'personal access token'
        (Get-EmulatorRequest $script:Dc -Path '/rest/whitelist/latest/').status | Should -Be @(403)
        (Get-EmulatorRequest $script:Dc -Path '/rest/oauth2/latest/token').Count | Should -Be 0
    }

    It 'the same endpoint works for an administrator''s personal access token (the refusal is the service account''s)' {
        $null = Connect-JiraSite -Url $script:Dc.Url -PersonalAccessToken (ConvertTo-SecureString (Get-TestSecret DataCenterAdminPat) -AsPlainText -Force)
        { Invoke-JiraRestMethod '/rest/whitelist/latest/' -ErrorAction Stop } | Should -Not -Throw
    }
}

Describe 'Connect-JiraSite -Url -Credential with a scoped API token' {
    BeforeEach { Reset-JiraEmulator $script:Emu }
    AfterEach { Get-JiraSession | Disconnect-JiraSite }

    It 'finds the cloud ID and connects through the gateway when the site URL answers 401, and says so' {
        $credential = New-TestCredential $script:Account.Email (Get-TestSecret ServiceScopedToken)
        $verbose = Connect-JiraSite -Url $script:Emu.Url -Credential $credential -ApiGatewayUrl $script:Emu.Url -Verbose 4>&1
        $session = $verbose | Where-Object { $_ -is [JiraConnect.JiraSession] }
        $session.AuthenticationType | Should -Be 'ScopedApiToken'
        $session.CloudId | Should -Be (Get-EmulatorCloudId)
        $session.Note | Should -BeLike '*answered 401*API gateway*'
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'scoped API token through'
        (Get-JiraProject).Key | Should -Be $script:ServiceProjects
        (Get-EmulatorRequest $script:Emu -Path '/rest/api/2/serverInfo').status | Should -Be @(401)
    }

    It 'a scoped token without read:jira-work gives GatewayScopeMissing naming the scope' {
        $credential = New-TestCredential $script:Account.Email (Get-TestSecret ServiceScopedNoWork)
        $null = Connect-JiraSite -Url $script:Emu.Url -Credential $credential -ApiGatewayUrl $script:Emu.Url
        $e = { Get-JiraProject -ErrorAction Stop } | Should -Throw -ErrorId "GatewayScopeMissing,$script:GetProject" -PassThru
        $e.Exception.Message | Should -Match 'lacks the scope read:jira-work'
        $e.Exception.Message | Should -Match 'scope does not match'
        $e.Exception.RecommendedAction | Should -Match 'read:jira-work'
    }

    It 'an ordinary wrong API token still fails on the site without a gateway attempt' {
        $credential = New-TestCredential 'admin@example.com' (Get-TestSecret WrongToken)
        { Connect-JiraSite -Url $script:Emu.Url -Credential $credential -ApiGatewayUrl $script:Emu.Url } | Should -Throw -ErrorId "AuthenticatedAsAnonymous,$script:Connect"
        (Get-EmulatorRequest $script:Emu -Path '/ex/jira').Count | Should -Be 0
    }
}

Describe 'Get-JiraConnectorSetting for service accounts and Atlassian''s guidance' {
    BeforeEach { Reset-JiraEmulator $script:Emu }
    AfterEach { Get-JiraSession | Disconnect-JiraSite }

    It 'a client-credentials session gives the OAuth2 client-credentials form with the gateway base URL, the secret masked and no guidance note' {
        $session = Connect-Service
        $rows = @(Get-JiraConnectorSetting -Session $session -WarningVariable warnings)
        $value = @{}; $rows | ForEach-Object { $value[$_.Field] = $_.Value }
        $rows.Connection | Select-Object -Unique | Should -Be 'OAuth2ClientCredentials'
        $value['Auth Config'] | Should -Be 'OAuth2'
        $value['OAuth2 Grant Type'] | Should -Be 'Client Credentials Grant'
        $value['Client ID'] | Should -Be $script:Account.ClientId
        $value['Client Secret'] | Should -BeLike '`*`*`*`*`*`*`*`* *'
        ($rows | Where-Object Field -EQ 'Client Secret').IsSecret | Should -BeTrue
        $value['Client Credentials Grant Scope'] | Should -Be 'read:jira-work read:jira-user'
        $value['OAuth2 Token URL'] | Should -Be "$($script:Emu.Url)/oauth/token"
        $value['OAuth2 Client Authentication'] | Should -Be 'OAuth 2.0 with Request Body'
        $value['Base URL'] | Should -Be "$($script:Emu.Url)/ex/jira/$(Get-EmulatorCloudId)"
        $value.ContainsKey('Notes') | Should -BeFalse
        ($rows | Out-String) | Should -Not -Match ([regex]::Escape((Get-TestSecret ServiceClientSecret)))
        $warnings | Should -BeNullOrEmpty
    }

    It 'a Data Center client-credentials session gives the site as base URL and the site''s token URL' {
        $dc = Start-JiraEmulator -Flavor datacenter -Projects 3
        try {
            $session = Connect-JiraSite -Url $dc.Url -ClientCredential (Get-ServiceClientCredential -DataCenter)
            $value = @{}; Get-JiraConnectorSetting -Session $session | ForEach-Object { $value[$_.Field] = $_.Value }
            $value['OAuth2 Grant Type'] | Should -Be 'Client Credentials Grant'
            $value['Base URL'] | Should -Be $dc.Url
            $value['OAuth2 Token URL'] | Should -Be "$($dc.Url)/rest/oauth2/latest/token"
            $value['Test endpoint'] | Should -Be '/rest/api/2/project'
        } finally { Get-JiraSession | Disconnect-JiraSite; $dc | Stop-JiraEmulator }
    }

    It 'an API-token session has a Notes row stating the guidance with its source and the service-account path, as data, not a warning' {
        $session = Connect-JiraSite -Url $script:Emu.Url -Credential (Get-CloudAdminCredential)
        $rows = @(Get-JiraConnectorSetting -Session $session -WarningVariable warnings)
        $note = $rows | Where-Object Field -EQ 'Notes'
        $note.Value | Should -Match 'non-compliant'
        $note.Value | Should -Match 'developer\.atlassian\.com/cloud/jira/software/oauth-2-3lo-apps'
        $note.Value | Should -Match 'Connect-JiraSite -ClientCredential'
        $warnings | Should -BeNullOrEmpty
        $quiet = Test-JiraConnection -Session $session -SkipProjectAccess -Quiet 3>&1
        @($quiet | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Count | Should -Be 0
        $quiet | Should -BeTrue
    }

    It 'an OAuth app''s form has a Notes row on per-customer 3LO apps' {
        $note = Get-JiraConnectorSetting -ClientId 'abc' -Scope 'read:jira-work' -WarningAction SilentlyContinue | Where-Object Field -EQ 'Notes'
        $note.Value | Should -Match 'own\s+OAuth 2\.0 \(3LO\) app is non-compliant'
        $note.Value | Should -Match 'service account with OAuth 2\.0 client credentials'
    }
}

Describe 'Test-JiraConnection: CredentialExpiry' {
    BeforeAll {
        $script:Scopes = 'read:jira-work', 'read:jira-user', 'offline_access'
        $script:SavedBrowser = $env:BROWSER
        function Get-ExpiryCheck { param($Session, [hashtable] $Extra = @{})
            Test-JiraConnection -Session $Session -SkipProjectAccess @Extra | Where-Object Name -EQ 'CredentialExpiry'
        }
        function New-OAuthToken { param([string[]] $Scope = $script:Scopes)
            $app = Register-EmulatorOAuthApp $script:Emu
            $env:BROWSER = Get-ConsentBrowserCommand -User 'admin@example.com' -Password (Get-TestSecret AdminPassword)
            Invoke-JiraOAuthConsent -ClientCredential $app.Credential -RedirectUri $app.RedirectUri -Scope $Scope -Environment $script:Emu.Url -TimeoutSec 60
        }
    }
    BeforeEach { Reset-JiraEmulator $script:Emu }
    AfterEach { Get-JiraSession | Disconnect-JiraSite; $env:BROWSER = $script:SavedBrowser }

    It 'API token: <Status> for <Case>' -ForEach @(
        @{ Case = 'a token expiring in 10 days'; Days = 10; Status = 'Warn'; Detail = '^The API token expires at .*, in 10 days\.$' }
        @{ Case = 'an expired token'; Days = -1; Status = 'Fail'; Detail = '^The API token expired at ' }
        @{ Case = 'a token expiring in 90 days'; Days = 90; Status = 'Pass'; Detail = 'in 90 days' }
        @{ Case = 'a token whose expiry is not known'; Days = $null; Status = 'Pass'; Detail = 'not known.*-TokenExpiresAt' }
    ) {
        $connect = @{ Url = $script:Emu.Url; Credential = (Get-CloudAdminCredential) }
        if ($null -ne $Days) { $connect.TokenExpiresAt = [DateTimeOffset]::UtcNow.AddDays($Days) }
        $session = Connect-JiraSite @connect
        $check = Get-ExpiryCheck $session
        $check.Status | Should -Be $Status
        $check.Detail | Should -Match $Detail
        if ($Status -ne 'Pass') { $check.Remedy | Should -Match 'Create a new API token' } else { $check.Remedy | Should -BeNullOrEmpty }
    }

    It 'the warning period is configurable (-CredentialExpiryWarningDays)' {
        $session = Connect-JiraSite -Url $script:Emu.Url -Credential (Get-CloudAdminCredential) -TokenExpiresAt ([DateTimeOffset]::UtcNow.AddDays(10))
        (Get-ExpiryCheck $session -Extra @{ CredentialExpiryWarningDays = 5 }).Status | Should -Be 'Pass'
        (Get-ExpiryCheck $session -Extra @{ CredentialExpiryWarningDays = 15 }).Status | Should -Be 'Warn'
        $session.CredentialExpiresAt | Should -Be $session.StatedExpiresAt
    }

    It 'client credentials: <Status> for <Case>' -ForEach @(
        @{ Case = 'a secret expiring in 10 days'; Days = 10; Status = 'Warn'; Detail = '^The client secret expires at ' }
        @{ Case = 'an expired secret'; Days = -1; Status = 'Fail'; Detail = '^The client secret expired at ' }
        @{ Case = 'hourly tokens and no stated expiry'; Days = $null; Status = 'Pass'; Detail = 'renew themselves \(each lasts (59 minutes|60 minutes|1 hours)' }
    ) {
        $extra = @{}
        if ($null -ne $Days) { $extra.TokenExpiresAt = [DateTimeOffset]::UtcNow.AddDays($Days) }
        $session = Connect-Service -Extra $extra
        $check = Get-ExpiryCheck $session
        $check.Status | Should -Be $Status
        $check.Detail | Should -Match $Detail
        if ($Status -ne 'Pass') { $check.Remedy | Should -Match 'new OAuth 2.0 credential for the service account' }
    }

    It 'OAuth: Pass for a token that refreshes itself (its refresh token lapses after 90 days unused)' {
        $session = Connect-JiraSite -OAuthToken (New-OAuthToken)
        $session.RefreshTokenExpiresAt | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddDays(89))
        $check = Get-ExpiryCheck $session
        $check.Status | Should -Be 'Pass'
        $check.Detail | Should -Match 'refresh token'
    }

    It 'OAuth: Warn for a grant said to expire in 10 days, and for an access token that cannot be refreshed' {
        $token = New-OAuthToken
        $session = Connect-JiraSite -OAuthToken $token -TokenExpiresAt ([DateTimeOffset]::UtcNow.AddDays(10))
        $check = Get-ExpiryCheck $session
        $check.Status | Should -Be 'Warn'
        $check.Detail | Should -Match '^The OAuth grant expires at .*, in 10 days'
        $check.Remedy | Should -Match 'Invoke-JiraOAuthConsent'
        $session | Disconnect-JiraSite

        $session = Connect-JiraSite -OAuthToken (New-OAuthToken -Scope 'read:jira-work', 'read:jira-user')
        $check = Get-ExpiryCheck $session
        $check.Status | Should -Be 'Warn'
        $check.Detail | Should -Match 'cannot be refreshed'
    }

    It 'OAuth: Fail for a grant that has expired' {
        $session = Connect-JiraSite -OAuthToken (New-OAuthToken) -TokenExpiresAt ([DateTimeOffset]::UtcNow.AddDays(-1))
        $check = Get-ExpiryCheck $session
        $check.Status | Should -Be 'Fail'
        $check.Detail | Should -Match '^The OAuth grant expired at '
        (Test-JiraConnection -Session $session -SkipProjectAccess -Quiet) | Should -BeFalse
    }
}
