BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-JiraConnectModulePath) -Force
    $script:Emu = Start-JiraEmulator -Flavor cloud -Projects 9
    $script:Consent = 'JiraConnect.Commands.InvokeJiraOAuthConsentCommand'
    $script:Connect = 'JiraConnect.Commands.ConnectJiraSiteCommand'
    $script:Scopes = 'read:jira-work', 'read:jira-user', 'offline_access'
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ("jiraconnect-oauth-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $script:Work
    $script:SavedBrowser = $env:BROWSER

    function New-Token {
        param($App, [string[]] $Scope = $script:Scopes, [string] $User = 'admin@example.com', [string] $Password = (Get-TestSecret AdminPassword), [hashtable] $Extra = @{})
        $env:BROWSER = Get-ConsentBrowserCommand -User $User -Password $Password
        Invoke-JiraOAuthConsent -ClientCredential $App.Credential -RedirectUri $App.RedirectUri -Scope $Scope -Environment $script:Emu.Url -TimeoutSec 60 @Extra
    }
}

AfterAll {
    $env:BROWSER = $script:SavedBrowser
    Get-JiraSession | Disconnect-JiraSite
    $script:Emu | Stop-JiraEmulator
    Remove-Item $script:Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Invoke-JiraOAuthConsent' {
    BeforeEach {
        Reset-JiraEmulator $script:Emu
        $script:App = Register-EmulatorOAuthApp $script:Emu
        $script:Result = Join-Path $script:Work ([guid]::NewGuid().ToString('n') + '.json')
        $consent = @{ ClientCredential = $script:App.Credential; RedirectUri = $script:App.RedirectUri; Scope = $script:Scopes; Environment = $script:Emu.Url; TimeoutSec = 60 }
    }
    AfterEach { $env:BROWSER = $script:SavedBrowser }

    It 'opens the consent page, receives the redirect on the loopback listener and returns a token' {
        $env:BROWSER = Get-ConsentBrowserCommand -ResultFile $script:Result
        $token = Invoke-JiraOAuthConsent @consent

        $token | Should -BeOfType ([JiraConnect.JiraOAuthToken])
        $token.ClientId | Should -Be $script:App.ClientId
        $token.Scopes | Should -Be $script:Scopes
        $token.HasRefreshToken | Should -BeTrue
        $token.CanRefresh | Should -BeTrue
        $token.ExpiresAt | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddMinutes(55))
        $token.AccessToken | Should -BeOfType ([securestring])
        $page = Read-ConsentResult $script:Result
        $page.title | Should -Be 'JiraConnect: consent received'
        $page.text | Should -Match 'You may close this tab'
        $code = (Get-EmulatorIssuedSecret $script:Emu -Kind code)[0].value
        $page.text.Contains($code) | Should -BeFalse
    }

    It 'sends every parameter Atlassian requires in the authorization URL' {
        $request = Invoke-JiraOAuthConsent -ClientCredential $script:App.Credential -RedirectUri $script:App.RedirectUri -Scope $script:Scopes -Environment $script:Emu.Url -AuthorizationUrlOnly
        $request | Should -BeOfType ([JiraConnect.JiraOAuthAuthorizationRequest])
        $query = [System.Web.HttpUtility]::ParseQueryString($request.Url.Query)
        $query['audience'] | Should -Be 'api.atlassian.com'
        $query['client_id'] | Should -Be $script:App.ClientId
        $query['scope'] | Should -Be 'read:jira-work read:jira-user offline_access'
        $query['redirect_uri'] | Should -Be $script:App.RedirectUri
        $query['response_type'] | Should -Be 'code'
        $query['prompt'] | Should -Be 'consent'
        $query['state'] | Should -Be $request.State
        $request.State.Length | Should -BeGreaterOrEqual 43
        $other = Invoke-JiraOAuthConsent -ClientCredential $script:App.Credential -RedirectUri $script:App.RedirectUri -Scope read:jira-work -Environment $script:Emu.Url -AuthorizationUrlOnly
        $other.State | Should -Not -Be $request.State
    }

    It 'a blank client ID is an invalid argument, not an invalid body' {
        $blank = [pscredential]::new(' ', $script:App.Credential.Password)
        { Invoke-JiraOAuthConsent -ClientCredential $blank -RedirectUri $script:App.RedirectUri -Scope read:jira-work -Environment $script:Emu.Url -AuthorizationUrlOnly } |
            Should -Throw -ErrorId "InvalidArgument,$script:Consent"
    }

    It 'a declined consent fails with OAuthAccessDenied' {
        $env:BROWSER = Get-ConsentBrowserCommand -Action decline -ResultFile $script:Result
        $e = { Invoke-JiraOAuthConsent @consent } |
            Should -Throw -ErrorId "OAuthAccessDenied,$script:Consent" -PassThru
        $e.CategoryInfo.Category | Should -Be 'PermissionDenied'
        (Read-ConsentResult $script:Result).text | Should -Match 'Consent was declined'
    }

    It 'a forged redirect (<Case>) is turned away and the real one still completes the consent' -ForEach @(
        @{ Case = 'wrong state'; Query = 'code=c0de-from-elsewhere&state=forged-state-value' }
        @{ Case = 'no state'; Query = 'code=c0de-from-elsewhere' }
        @{ Case = 'access_denied without state'; Query = 'error=access_denied' }
    ) {
        $env:BROWSER = Get-ConsentBrowserCommand -Forged $Query -ResultFile $script:Result
        $token = Invoke-JiraOAuthConsent @consent
        $token.ClientId | Should -Be $script:App.ClientId
        $page = Read-ConsentResult $script:Result
        $page.forgedStatus | Should -Be '400'
        $page.title | Should -Be 'JiraConnect: consent received'
        # Only the real code reached the token endpoint.
        @(Get-EmulatorRequest $script:Emu -Path '/oauth/token').Count | Should -Be 1
    }

    It 'a redirect with another error fails with OAuthAuthorizationFailed and names the error' {
        $env:BROWSER = Get-ConsentBrowserCommand -Callback 'error=server_error&error_description=Try+later&state={state}'
        $e = { Invoke-JiraOAuthConsent @consent } |
            Should -Throw -ErrorId "OAuthAuthorizationFailed,$script:Consent" -PassThru
        $e.Exception.OAuthError | Should -Be 'server_error'
        $e.ErrorDetails.Message | Should -Match 'server_error: Try later'
    }

    It 'a scope the app has not added comes back as invalid_scope' {
        $app = Register-EmulatorOAuthApp $script:Emu -Scopes 'read:jira-work', 'offline_access'
        $env:BROWSER = Get-ConsentBrowserCommand
        $e = { Invoke-JiraOAuthConsent -ClientCredential $app.Credential -RedirectUri $app.RedirectUri -Scope read:jira-work, manage:jira-configuration -Environment $script:Emu.Url -TimeoutSec 60 } |
            Should -Throw -ErrorId "OAuthAuthorizationFailed,$script:Consent" -PassThru
        $e.Exception.OAuthError | Should -Be 'invalid_scope'
    }

    It 'a loopback port already taken fails with LoopbackPortInUse before any browser opens' {
        $port = ([uri] $script:App.RedirectUri).Port
        $blocker = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $port)
        $blocker.Start()
        try {
            $env:BROWSER = Get-ConsentBrowserCommand -ResultFile $script:Result
            { Invoke-JiraOAuthConsent @consent } |
                Should -Throw -ErrorId "LoopbackPortInUse,$script:Consent"
            Test-Path $script:Result | Should -BeFalse
        }
        finally { $blocker.Stop() }
    }

    It 'times out with OAuthConsentTimeout when nobody completes the consent' {
        $env:BROWSER = Get-ConsentBrowserCommand -Action none -Linger 1
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        { Invoke-JiraOAuthConsent -ClientCredential $script:App.Credential -RedirectUri $script:App.RedirectUri -Scope $script:Scopes -Environment $script:Emu.Url -TimeoutSec 2 } |
            Should -Throw -ErrorId "OAuthConsentTimeout,$script:Consent"
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 30
        # The listener is closed afterwards: the port can be bound again.
        $again = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, ([uri] $script:App.RedirectUri).Port)
        { $again.Start() } | Should -Not -Throw
        $again.Stop()
    }

    It 'refuses a redirect URI that is not a loopback address with InvalidRedirectUri' {
        { Invoke-JiraOAuthConsent -ClientCredential $script:App.Credential -RedirectUri https://example.com/auth/oauthCallback -Scope $script:Scopes -Environment $script:Emu.Url -TimeoutSec 5 } |
            Should -Throw -ErrorId "InvalidRedirectUri,$script:Consent"
    }

    It '-NoBrowser in a non-interactive session fails fast with OAuthInteractionRequired' {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        { Invoke-JiraOAuthConsent -ClientCredential $script:App.Credential -RedirectUri $script:App.RedirectUri -Scope $script:Scopes -Environment $script:Emu.Url -NoBrowser } |
            Should -Throw -ErrorId "OAuthInteractionRequired,$script:Consent"
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
    }

    It 'a fresh pwsh -NonInteractive without a browser fails at once with OAuthInteractionRequired and names the switches' {
        $script = @'
param($ModulePath, $ClientId, $RedirectUri, $EmulatorUrl, $Cache)
Remove-Item Env:BROWSER, Env:DISPLAY, Env:WAYLAND_DISPLAY -ErrorAction SilentlyContinue
Import-Module $ModulePath
$credential = [pscredential]::new($ClientId, (ConvertTo-SecureString 'not-used' -AsPlainText -Force))
$clock = [System.Diagnostics.Stopwatch]::StartNew()
try { Invoke-JiraOAuthConsent -ClientCredential $credential -RedirectUri $RedirectUri -Scope read:jira-work -Environment $EmulatorUrl -TokenCachePath $Cache -TimeoutSec 300 }
catch { [pscustomobject]@{ Id = $_.FullyQualifiedErrorId; Details = $_.ErrorDetails.Message; Seconds = $clock.Elapsed.TotalSeconds } | ConvertTo-Json -Compress }
'@
        $file = Join-Path $script:Work 'noninteractive.ps1'; Set-Content $file $script
        $pwsh = Get-PwshCommand
        $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $file -ModulePath (Get-JiraConnectModulePath) -ClientId $script:App.ClientId `
            -RedirectUri $script:App.RedirectUri -EmulatorUrl $script:Emu.Url -Cache (Join-Path $script:Work 'empty-cache.json') 2>&1
        $result = ($output | Select-Object -Last 1) | ConvertFrom-Json
        $result.Id | Should -Be "OAuthInteractionRequired,$script:Consent"
        $result.Seconds | Should -BeLessThan 5
        $result.Details | Should -Match '-AuthorizationUrlOnly'
        $result.Details | Should -Match '-TokenCachePath'
        $result.Details | Should -Match '-NoBrowser'
        # The listener never opened: nothing could have been sent.
        (Get-EmulatorRequest $script:Emu -Path '/oauth/token').Count | Should -Be 0
    }

    It '-AuthorizationUrlOnly shows and converts to a URL that pastes: scope spaces as %20, reserved characters encoded' {
        $request = Invoke-JiraOAuthConsent -ClientCredential $script:App.Credential -RedirectUri $script:App.RedirectUri -Scope $script:Scopes -Environment $script:Emu.Url -AuthorizationUrlOnly
        foreach ($text in "$request", "$($request.Url)", [string] $request.Url, (($request | Out-String -Width 4096) -split "`n" | Where-Object { $_ -match '^Url\s*:' }).Split(':', 2)[1].Trim()) {
            $text | Should -Not -Match '\s'
            $text | Should -Match 'scope=read%3Ajira-work%20read%3Ajira-user%20offline_access'
            $text | Should -Match ('redirect_uri=' + [regex]::Escape([uri]::EscapeDataString($script:App.RedirectUri)) + '&')
        }
    }

    It '-AuthorizationUrlOnly and -AuthorizationResponse complete the consent; the code cannot be used twice' {
        $request = Invoke-JiraOAuthConsent -ClientCredential $script:App.Credential -RedirectUri $script:App.RedirectUri -Scope $script:Scopes -Environment $script:Emu.Url -AuthorizationUrlOnly
        $landed = Invoke-ConsentBrowser -Url $request.Url.AbsoluteUri -NoDeliver
        $landed.redirectAddress | Should -Match '[?&]code=.+&state='

        $token = $request | Invoke-JiraOAuthConsent -ClientCredential $script:App.Credential -AuthorizationResponse $landed.redirectAddress
        $token.Scopes | Should -Contain 'read:jira-work'
        { $request | Invoke-JiraOAuthConsent -ClientCredential $script:App.Credential -AuthorizationResponse $landed.redirectAddress } |
            Should -Throw -ErrorId "OAuthAuthorizationCodeInvalid,$script:Consent"
    }

    It 'accepts a bare pasted code, and rejects text that is neither' {
        $request = Invoke-JiraOAuthConsent -ClientCredential $script:App.Credential -RedirectUri $script:App.RedirectUri -Scope $script:Scopes -Environment $script:Emu.Url -AuthorizationUrlOnly
        $landed = Invoke-ConsentBrowser -Url $request.Url.AbsoluteUri -NoDeliver
        $code = [System.Web.HttpUtility]::ParseQueryString(([uri] $landed.redirectAddress).Query)['code']
        (Invoke-JiraOAuthConsent -ClientCredential $script:App.Credential -AuthorizationRequest $request -AuthorizationResponse $code).HasRefreshToken | Should -BeTrue
        { Invoke-JiraOAuthConsent -ClientCredential $script:App.Credential -AuthorizationRequest $request -AuthorizationResponse 'no way' } |
            Should -Throw -ErrorId "OAuthInvalidAuthorizationResponse,$script:Consent"
    }

    It 'a wrong client secret fails with OAuthClientAuthenticationFailed' {
        $wrong = [pscredential]::new($script:App.ClientId, (ConvertTo-SecureString 'ATOAemu-wrong-secret-Z1x2C3v4' -AsPlainText -Force))
        $env:BROWSER = Get-ConsentBrowserCommand
        { Invoke-JiraOAuthConsent -ClientCredential $wrong -RedirectUri $script:App.RedirectUri -Scope $script:Scopes -Environment $script:Emu.Url -TimeoutSec 60 } |
            Should -Throw -ErrorId "OAuthClientAuthenticationFailed,$script:Consent"
    }

    It 'warns when offline_access was not granted, and the token cannot refresh itself' {
        $env:BROWSER = Get-ConsentBrowserCommand
        $token = Invoke-JiraOAuthConsent -ClientCredential $script:App.Credential -RedirectUri $script:App.RedirectUri -Scope read:jira-work, read:jira-user -Environment $script:Emu.Url -TimeoutSec 60 -WarningVariable warnings -WarningAction SilentlyContinue
        $token.HasRefreshToken | Should -BeFalse
        $token.CanRefresh | Should -BeFalse
        ($warnings -join ' ') | Should -Match 'offline_access was not granted'
    }

    It 'shows no secret in its views or ToString' {
        $token = New-Token $script:App
        $secrets = @(Get-EmulatorIssuedSecret $script:Emu | ForEach-Object value) + $script:App.ClientSecret
        $text = ($token | Format-Table | Out-String) + ($token | Format-List * | Out-String) + "$token" + ($token | ConvertTo-Json -Depth 3)
        foreach ($secret in $secrets) { $text.Contains($secret) | Should -BeFalse }
        $text | Should -Match ([regex]::Escape($script:App.ClientId))
    }
}

Describe 'Connect-JiraSite with an OAuth token and through the API gateway' {
    BeforeAll {
        Reset-JiraEmulator $script:Emu
        $script:App = Register-EmulatorOAuthApp $script:Emu -Scopes 'read:jira-work', 'read:jira-user', 'offline_access', 'read:confluence-content.summary'
        $script:Token = New-Token $script:App
    }
    AfterEach {
        $env:BROWSER = $script:SavedBrowser
        Get-JiraSession | Disconnect-JiraSite
    }

    It 'connects with -CloudId; the session shows user, scopes and token expiry; every project goes through the gateway' {
        $session = Connect-JiraSite -OAuthToken $script:Token -CloudId (Get-EmulatorCloudId)
        $session.AuthenticationType | Should -Be 'OAuth'
        $session.CloudId | Should -Be (Get-EmulatorCloudId)
        $session.ApiBaseUrl.AbsoluteUri | Should -Be "$($script:Emu.Url)/ex/jira/$(Get-EmulatorCloudId)/rest/api/3/"
        $session.SiteUrl.AbsoluteUri | Should -Be "$($script:Emu.Url)/"
        $session.User.DisplayName | Should -Be 'Ada Admin'
        $session.Scopes | Should -Be $script:Scopes
        $session.TokenExpiresAt | Should -Be $script:Token.ExpiresAt
        $list = Get-JiraSession | Format-List | Out-String
        $list | Should -Match 'AuthenticationType\s*:\s*OAuth'
        $list | Should -Match 'TokenExpiresAt'
        $list | Should -Match 'read:jira-work'

        Clear-EmulatorRequest $script:Emu
        (Get-JiraProject).Key | Should -Be @('DEV', 'FIN', 'HR', 'IT', 'MKT', 'OPS', 'PAAAA', 'PAAAB', 'PAAAC')
        $log = Get-EmulatorRequest $script:Emu -Path '/'
        $log | ForEach-Object { $_.path | Should -BeLike '/ex/jira/*'; $_.authScheme | Should -Be 'Bearer' }
        (Invoke-JiraRestMethod "$($script:Emu.Url)/rest/api/3/project/DEV").key | Should -Be 'DEV'
        (Get-EmulatorRequest $script:Emu -Path '/ex/jira/').Count | Should -Be ($log.Count + 1)
    }

    It 'connects with -Url matched against the accessible resources' {
        (Connect-JiraSite -Url $script:Emu.Url -OAuthToken $script:Token).CloudId | Should -Be (Get-EmulatorCloudId)
    }

    It 'fails with AccessibleResourceNotFound for a site or cloudId the token does not reach' -ForEach @(
        @{ Parameters = @{ CloudId = '00000000-0000-4000-8000-000000000000' } }
        @{ Parameters = @{ Url = 'https://elsewhere.atlassian.net' } }
    ) {
        { Connect-JiraSite -OAuthToken $script:Token @Parameters } | Should -Throw -ErrorId "AccessibleResourceNotFound,$script:Connect"
    }

    It 'a limited user sees only his projects through the gateway' {
        $token = New-Token $script:App -User 'limited@example.com' -Password (Get-TestSecret LimitedPassword)
        $null = Connect-JiraSite -OAuthToken $token
        (Get-JiraProject).Key | Should -Be @('DEV', 'HR', 'MKT', 'PAAAA', 'PAAAC')
        (Get-JiraSession).User.DisplayName | Should -Be 'Lee Limited'
    }

    It 'a token without read:jira-user fails with OAuthScopeMissing' {
        $token = New-Token $script:App -Scope read:jira-work, offline_access
        { Connect-JiraSite -OAuthToken $token } | Should -Throw -ErrorId "OAuthScopeMissing,$script:Connect"
    }

    It 'connects with a scoped API token and -CloudId through the gateway; the site URL refuses that token' {
        $credential = New-TestCredential 'admin@example.com' (Get-TestSecret ScopedAdminToken)
        $session = Connect-JiraSite -CloudId (Get-EmulatorCloudId) -Credential $credential -ApiGatewayUrl $script:Emu.Url
        $session.AuthenticationType | Should -Be 'ScopedApiToken'
        $session.ApiBaseUrl.AbsoluteUri | Should -BeLike '*/ex/jira/*/rest/api/3/'
        (Get-JiraProject -First 3).Key | Should -Be @('DEV', 'FIN', 'HR')
        # Given only the site URL, the site's 401 sends the token to the gateway.
        $viaUrl = Connect-JiraSite -Url $script:Emu.Url -Credential $credential -ApiGatewayUrl $script:Emu.Url
        $viaUrl.CloudId | Should -Be (Get-EmulatorCloudId)
        $viaUrl.Note | Should -BeLike '*answered 401*'
    }

    Context 'Get-JiraAccessibleResource' {
        It 'lists the Jira site and tells the Confluence entry of the same cloudId apart by its scopes' {
            $token = New-Token $script:App -Scope read:jira-work, read:jira-user, read:confluence-content.summary
            $resources = @(Get-JiraAccessibleResource -Token $token)
            $resources.Count | Should -Be 2
            $resources.CloudId | Should -Be @((Get-EmulatorCloudId), (Get-EmulatorCloudId))
            $jira = $resources | Where-Object IsJira
            $jira.Product | Should -Be 'Jira'
            $jira.Url.AbsoluteUri | Should -Be "$($script:Emu.Url)/"
            $jira.Scopes | Should -Be @('read:jira-work', 'read:jira-user')
            ($resources | Where-Object Product -EQ 'Confluence').Scopes | Should -Be 'read:confluence-content.summary'
            @(Get-JiraAccessibleResource -Token $token -JiraOnly).Count | Should -Be 1
            ($resources | Format-Table | Out-String) | Should -Match 'Confluence'
        }

        It 'uses the default OAuth session, and refuses a Basic session' {
            $null = Connect-JiraSite -OAuthToken $script:Token
            (Get-JiraAccessibleResource).Name | Should -Be 'emulator'
            $null = Connect-JiraSite -Url $script:Emu.Url -Credential (Get-CloudAdminCredential) -Name basic
            { Get-JiraAccessibleResource -Session basic } | Should -Throw -ErrorId 'ParameterNotSupported,JiraConnect.Commands.GetJiraAccessibleResourceCommand'
        }
    }

    Context 'Get-JiraConnectorSetting' {
        It 'gives the OAuth connector form for an OAuth session with the secret masked' {
            $null = Connect-JiraSite -OAuthToken $script:Token
            $settings = Get-JiraConnectorSetting -WarningVariable warnings -WarningAction SilentlyContinue
            $map = @{}; $settings | ForEach-Object { $map[$_.Field] = $_.Value }
            $map['Auth Config'] | Should -Be 'OAuth2'
            $map['OAuth2 Grant Type'] | Should -Be 'Authorization Code Grant'
            $map['Authorization URL'] | Should -Be "$($script:Emu.Url)/authorize"
            $map['OAuth2 Token URL'] | Should -Be "$($script:Emu.Url)/oauth/token"
            $map['Authorization Request Query Parameters'] | Should -Be 'audience: api.atlassian.com'
            $map['OAuth2 Client Authentication'] | Should -Be 'OAuth 2.0 with Request Body'
            $map['Header Auth Key'] | Should -Be 'Authorization'
            $map['Header Auth Value Pattern'] | Should -Be 'Bearer %s'
            $map['Custom Grant Type'] | Should -Be 'authorization_code'
            $map['Client ID'] | Should -Be $script:App.ClientId
            $map['Jira API path prefix'] | Should -Be "/ex/jira/$(Get-EmulatorCloudId)/rest/api/3"
            $map['Client Secret'] | Should -Match '^\*+'
            ($settings | Out-String).Contains($script:App.ClientSecret) | Should -BeFalse
            ($warnings -join ' ') | Should -Match 'write:jira-work is missing'
        }

        It 'describes a token exactly as the session that uses it' {
            $null = Connect-JiraSite -OAuthToken $script:Token
            $fromSession = Get-JiraConnectorSetting -WarningAction SilentlyContinue | ForEach-Object { "$($_.Field)=$($_.Value)" }
            $fromToken = Get-JiraConnectorSetting -OAuthToken $script:Token -CloudId (Get-EmulatorCloudId) -WarningAction SilentlyContinue | ForEach-Object { "$($_.Field)=$($_.Value)" }
            $fromToken | Should -Be $fromSession
            @($fromToken | Where-Object { $_ -match '^Client Secret=\*+ ' }).Count | Should -Be 1
        }

        It 'warns about missing scopes and an http:// callback on another host for an app' {
            $null = Get-JiraConnectorSetting -ClientId abc123 -Scope read:jira-work -RedirectUri http://integrations.example.com/callback -WarningVariable warnings -WarningAction SilentlyContinue
            $text = $warnings -join ' '
            $text | Should -Match 'offline_access is missing'
            $text | Should -Match 'read:jira-user is missing'
            $text | Should -Match 'http:// on a host that is not this computer'
        }

        It 'gives base URL and user name for a Basic Auth session' {
            $null = Connect-JiraSite -Url $script:Emu.Url -Credential (Get-CloudAdminCredential)
            $settings = Get-JiraConnectorSetting
            ($settings | Where-Object Field -EQ 'Base URL').Value | Should -Be $script:Emu.Url
            ($settings | Where-Object Field -EQ 'Auth Config').Value | Should -Be 'Basic Auth'
            ($settings | Where-Object Field -EQ 'Username').Value | Should -Be 'admin@example.com'
            ($settings | Where-Object Field -EQ 'Password').Value | Should -Not -Match ([regex]::Escape((Get-TestSecret CloudAdminToken)))
        }
    }
}

Describe 'Token lifecycle' {
    BeforeEach {
        Reset-JiraEmulator $script:Emu
        $script:App = Register-EmulatorOAuthApp $script:Emu
        $script:Cache = Join-Path $script:Work ("cache-" + [guid]::NewGuid().ToString('n') + '.json')
    }
    AfterEach {
        $env:BROWSER = $script:SavedBrowser
        Get-JiraSession | Disconnect-JiraSite
    }

    It 'does not refresh a token with time left, and refreshes one about to expire before the call' {
        $token = New-Token $script:App
        $null = Get-JiraAccessibleResource -Token $token
        $token.RefreshCount | Should -Be 0

        $null = Set-EmulatorOAuthSetting $script:Emu -AccessTokenLifetimeSeconds 120
        $short = New-Token $script:App
        $null = Connect-JiraSite -OAuthToken $short
        $short.RefreshCount | Should -BeGreaterThan 0
        $log = Get-EmulatorRequest $script:Emu -Path '/ex/jira/'
        $log.Count | Should -Be 2
        @($log | Where-Object status -NE 200).Count | Should -Be 0
    }

    It 'rotates the refresh token on each of 50 consecutive refreshes, each rotated token replacing the last' {
        $null = Set-EmulatorOAuthSetting $script:Emu -AccessTokenLifetimeSeconds 120
        $token = New-Token $script:App
        $seen = [System.Collections.Generic.HashSet[string]]::new()
        for ($i = 1; $i -le 50; $i++) {
            $null = Get-JiraAccessibleResource -Token $token
            $null = $seen.Add([System.Net.NetworkCredential]::new('', $token.RefreshToken).Password)
        }
        $token.RefreshCount | Should -Be 50
        $seen.Count | Should -Be 50
        $refresh = Get-EmulatorIssuedSecret $script:Emu -Kind refresh_token
        $refresh.Count | Should -Be 51
        @($refresh | Where-Object status -EQ 'rotated').Count | Should -Be 50
        @($refresh | Where-Object status -EQ 'active').value | Should -Be ([System.Net.NetworkCredential]::new('', $token.RefreshToken).Password)
        @($refresh | Where-Object status -EQ 'revoked').Count | Should -Be 0
    }

    It 'an expired grant (refresh token unused too long) fails with OAuthConsentRequired' {
        $null = Set-EmulatorOAuthSetting $script:Emu -AccessTokenLifetimeSeconds 120 -RefreshTokenInactivitySeconds 30
        $token = New-Token $script:App
        $null = Move-EmulatorClock $script:Emu -Seconds 60
        $e = { Get-JiraAccessibleResource -Token $token -ErrorAction Stop } | Should -Throw -ErrorId 'OAuthConsentRequired,JiraConnect.Commands.GetJiraAccessibleResourceCommand' -PassThru
        $e.ErrorDetails.Message | Should -Match 'Invoke-JiraOAuthConsent'
    }

    It 'persists the grant owner-only, reuses it without consent, and asks again with -Force' {
        $token = New-Token $script:App -Extra @{ TokenCachePath = $script:Cache }
        $token.TokenCachePath | Should -Be $script:Cache
        (Get-Item $script:Cache).UnixMode | Should -Be '-rw-------'
        $content = Get-Content $script:Cache -Raw | ConvertFrom-Json
        $content.clientId | Should -Be $script:App.ClientId
        $content.protection | Should -Be 'owner-only-file'
        (Get-Content $script:Cache -Raw).Contains($script:App.ClientSecret) | Should -BeFalse

        $env:BROWSER = 'no-such-browser-command'
        $again = Invoke-JiraOAuthConsent -ClientCredential $script:App.Credential -RedirectUri $script:App.RedirectUri -Scope $script:Scopes -Environment $script:Emu.Url -TokenCachePath $script:Cache
        $again.ExpiresAt | Should -Be $token.ExpiresAt
        # A launcher that cannot start, in a session that is not interactive: nobody could consent, so it fails at once.
        { Invoke-JiraOAuthConsent -ClientCredential $script:App.Credential -RedirectUri $script:App.RedirectUri -Scope $script:Scopes -Environment $script:Emu.Url -TokenCachePath $script:Cache -Force -TimeoutSec 30 } |
            Should -Throw -ErrorId "OAuthInteractionRequired,$script:Consent"
        @(Get-ChildItem (Split-Path $script:Cache) -Force -Filter "*$(Split-Path $script:Cache -Leaf)*.tmp").Count | Should -Be 0
    }

    It 'refuses a cache <Case> with <ErrorId>, and sends nothing anywhere' -ForEach @(
        @{ Case = 'that others may change (0666 in a 0777 folder)'; ErrorId = 'TokenCacheInsecure'; Remedy = 'chmod' }
        @{ Case = 'that is a link to /dev/zero'; ErrorId = 'TokenCacheInsecure'; Remedy = 'Invoke-JiraOAuthConsent' }
        @{ Case = 'whose token URL was edited to another port'; ErrorId = 'TokenCacheEnvironmentMismatch'; Remedy = '-Environment' }
    ) {
        $null = New-Token $script:App -Extra @{ TokenCachePath = $script:Cache }
        $recorder = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $recorder.Start()
        try {
            switch -Wildcard ($Case) {
                'that others*' { chmod 0666 $script:Cache; chmod 0777 (Split-Path $script:Cache) }
                '*dev/zero' { Remove-Item $script:Cache; $null = New-Item -ItemType SymbolicLink -Path $script:Cache -Target /dev/zero }
                '*token URL*' {
                    $json = Get-Content $script:Cache -Raw | ConvertFrom-Json
                    $json.tokenUrl = "http://127.0.0.1:$($recorder.LocalEndpoint.Port)/oauth/token"
                    $json.expiresAt = [DateTimeOffset]::UtcNow.AddHours(-1).ToString('o')
                    Set-Content $script:Cache ($json | ConvertTo-Json)
                }
            }
            Clear-EmulatorRequest $script:Emu
            $env:BROWSER = 'no-such-browser-command'
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $e = { Invoke-JiraOAuthConsent -ClientCredential $script:App.Credential -RedirectUri $script:App.RedirectUri -Scope $script:Scopes -Environment $script:Emu.Url -TokenCachePath $script:Cache } |
                Should -Throw -ErrorId "$ErrorId,$script:Consent" -PassThru
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
            $e.ErrorDetails.Message | Should -Match ([regex]::Escape($Remedy))
            $recorder.Pending() | Should -BeFalse
            (Get-EmulatorRequest $script:Emu -Path '/oauth/token').Count | Should -Be 0
        }
        finally {
            $recorder.Stop()
            chmod 0700 (Split-Path $script:Cache)
        }
    }

    It 'writes each rotated refresh token to the cache before using the new access token' {
        $null = Set-EmulatorOAuthSetting $script:Emu -AccessTokenLifetimeSeconds 120
        $token = New-Token $script:App -Extra @{ TokenCachePath = $script:Cache }
        $null = Get-JiraAccessibleResource -Token $token
        $onDisk = (Get-Content $script:Cache -Raw | ConvertFrom-Json).refreshToken
        $onDisk | Should -Be ([System.Net.NetworkCredential]::new('', $token.RefreshToken).Password)
        (Get-EmulatorIssuedSecret $script:Emu -Kind refresh_token | Where-Object value -EQ $onDisk).status | Should -Be 'active'
    }

    It 'keeps a working refresh token in the cache when the process is killed after a rotation' {
        $null = Set-EmulatorOAuthSetting $script:Emu -AccessTokenLifetimeSeconds 120
        $null = New-Token $script:App -Extra @{ TokenCachePath = $script:Cache }
        $fault = Add-EmulatorFault $script:Emu -Kind delay -DelayMs 120000 -Path "/ex/jira/$(Get-EmulatorCloudId)/rest/api/3/project/search"

        $child = @'
param($ModulePath, $Cache, $ClientId, $SecretFile, $RedirectUri, $EmulatorUrl)
$secret = ConvertTo-SecureString (Get-Content $SecretFile -Raw).Trim() -AsPlainText -Force
Remove-Item $SecretFile
Import-Module $ModulePath
$token = Invoke-JiraOAuthConsent -ClientCredential ([pscredential]::new($ClientId, $secret)) -RedirectUri $RedirectUri -Scope read:jira-work -Environment $EmulatorUrl -TokenCachePath $Cache
$null = Connect-JiraSite -OAuthToken $token
Get-JiraProject
'@
        $script = Join-Path $script:Work 'child.ps1'; Set-Content $script $child
        $secretFile = Join-Path $script:Work 'secret.txt'; Set-Content $secretFile $script:App.ClientSecret
        $pwsh = Get-PwshCommand
        $info = [System.Diagnostics.ProcessStartInfo]::new($pwsh[0])
        foreach ($a in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $script, '-ModulePath', (Get-JiraConnectModulePath), '-Cache', $script:Cache,
                '-ClientId', $script:App.ClientId, '-SecretFile', $secretFile, '-RedirectUri', $script:App.RedirectUri, '-EmulatorUrl', $script:Emu.Url)) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardOutput = $true; $info.RedirectStandardError = $true; $info.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($info)
        $errors = $process.StandardError.ReadToEndAsync()
        try {
            # Wait (with a deadline) until the child is inside the project call, after it refreshed and rotated.
            Wait-Until -TimeoutSec 60 -What 'the child process to reach the delayed project call' -Condition {
                $process.HasExited -or (Invoke-EmulatorAdmin $script:Emu 'faults' -Method GET | ForEach-Object { $_ } | Where-Object id -EQ $fault.id).applied -ge 1
            }
            if ($process.HasExited) { $null = $errors.Wait(5000); $process.HasExited | Should -BeFalse -Because $errors.Result }
            (Get-EmulatorIssuedSecret $script:Emu -Kind refresh_token).Count | Should -BeGreaterThan 2
        }
        finally {
            if (-not $process.HasExited) { $process.Kill($true) }
            $null = $process.WaitForExit(10000)
        }
        Invoke-EmulatorAdmin $script:Emu 'faults' -Method DELETE | Out-Null

        # Past the reuse interval only the newest refresh token works; an older one would revoke the grant.
        $null = Move-EmulatorClock $script:Emu -Seconds 660
        $env:BROWSER = 'no-such-browser-command'
        $token = Invoke-JiraOAuthConsent -ClientCredential $script:App.Credential -RedirectUri $script:App.RedirectUri -Scope read:jira-work -Environment $script:Emu.Url -TokenCachePath $script:Cache
        $token.RefreshCount | Should -Be 1
        @(Get-EmulatorIssuedSecret $script:Emu -Kind refresh_token | Where-Object status -EQ 'revoked').Count | Should -Be 0
        $null = Connect-JiraSite -OAuthToken $token
        (Get-JiraProject -First 1).Key | Should -Be 'DEV'
    }

    It 'Disconnect-JiraSite -ClearTokenCache removes the cache file' {
        $token = New-Token $script:App -Extra @{ TokenCachePath = $script:Cache }
        $null = Connect-JiraSite -OAuthToken $token -Name cached
        Test-Path $script:Cache | Should -BeTrue
        Disconnect-JiraSite -Name cached -ClearTokenCache
        Test-Path $script:Cache | Should -BeFalse
        Test-Path "$($script:Cache).lock" | Should -BeFalse
    }

    It 'a named cache lives under the user profile' {
        $name = 'pester-' + [guid]::NewGuid().ToString('n').Substring(0, 8)
        $token = New-Token $script:App -Extra @{ TokenCacheName = $name }
        try {
            $token.TokenCachePath | Should -BeLike (Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) "JiraConnect*$name.json")
            (Get-Item (Split-Path $token.TokenCachePath)).UnixMode | Should -Be 'drwx------'
        }
        finally { Remove-Item $token.TokenCachePath, "$($token.TokenCachePath).lock" -ErrorAction SilentlyContinue }
        { Invoke-JiraOAuthConsent -ClientCredential $script:App.Credential -RedirectUri $script:App.RedirectUri -Scope read:jira-work -Environment $script:Emu.Url -TokenCacheName '../escape' } |
            Should -Throw -ErrorId "InvalidArgument,$script:Consent"
    }
}
