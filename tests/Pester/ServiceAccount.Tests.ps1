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
        $e.ErrorDetails.RecommendedAction | Should -Match 'Service accounts'
        $e.ErrorDetails.RecommendedAction | Should -Match 'create a new one'
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
        $e.ErrorDetails.RecommendedAction | Should -Match 'read:jira-work'
    }

    It 'an ordinary wrong API token still fails on the site without a gateway attempt' {
        $credential = New-TestCredential 'admin@example.com' (Get-TestSecret WrongToken)
        { Connect-JiraSite -Url $script:Emu.Url -Credential $credential -ApiGatewayUrl $script:Emu.Url } | Should -Throw -ErrorId "AuthenticatedAsAnonymous,$script:Connect"
        (Get-EmulatorRequest $script:Emu -Path '/ex/jira').Count | Should -Be 0
    }
}
