BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-JiraConnectModulePath) -Force
    $script:Cloud = Start-JiraEmulator -Flavor cloud -Projects 5
    $script:DataCenter = Start-JiraEmulator -Flavor datacenter -Projects 5
    $script:Cmd = 'JiraConnect.Commands.ConnectJiraSiteCommand'
}

AfterAll {
    Get-JiraSession | Disconnect-JiraSite
    $script:Cloud, $script:DataCenter | Stop-JiraEmulator
}

Describe 'Connect-JiraSite' {
    BeforeEach {
        Reset-JiraEmulator $script:Cloud
        Reset-JiraEmulator $script:DataCenter
        Get-JiraSession | Disconnect-JiraSite
    }

    Context 'each authentication type' {
        It 'connects to Jira Cloud with email and API token' {
            $session = Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential)
            $session | Should -BeOfType ([JiraConnect.JiraSession])
            $session.DeploymentType | Should -Be 'Cloud'
            $session.RestApiVersion | Should -Be '3'
            $session.ApiBaseUrl.AbsoluteUri | Should -Be "$($script:Cloud.Url)/rest/api/3/"
            $session.AuthenticationType | Should -Be 'ApiToken'
            $session.User.AccountId | Should -Be '5b10a2844c20165700ede21g'
            $session.User.DisplayName | Should -Be 'Ada Admin'
            $session.User.EmailAddress | Should -Be 'admin@example.com'
            $session.Name | Should -Be '127.0.0.1'
            $session.IsDefault | Should -BeTrue
        }

        It 'connects to Data Center with user name and password on REST v2' {
            $session = Connect-JiraSite -Url $script:DataCenter.Url -Credential (Get-DataCenterAdminCredential) -Name dc
            $session.DeploymentType | Should -Be 'DataCenter'
            $session.RestApiVersion | Should -Be '2'
            $session.ApiBaseUrl.AbsoluteUri | Should -Be "$($script:DataCenter.Url)/rest/api/2/"
            $session.AuthenticationType | Should -Be 'Password'
            $session.User.Name | Should -Be 'admin'
            $session.Version | Should -Be '10.3.24'
        }

        It 'connects to Data Center with a personal access token sent as Bearer' {
            $pat = ConvertTo-SecureString (Get-TestSecret DataCenterAdminPat) -AsPlainText -Force
            $session = Connect-JiraSite -Url $script:DataCenter.Url -PersonalAccessToken $pat -Name dc-pat
            $session.AuthenticationType | Should -Be 'PersonalAccessToken'
            $session.User.DisplayName | Should -Be 'Ada Admin'
            $schemes = (Get-EmulatorRequest $script:DataCenter -Path '/rest/api/2/myself').authScheme
            $schemes | Should -Contain 'Bearer'
        }

        It 'sends credentials pre-emptively on the very first request' {
            Clear-EmulatorRequest $script:Cloud
            $null = Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential)
            $log = Get-EmulatorRequest $script:Cloud -Path '/rest/'
            $log.Count | Should -Be 2
            $log | ForEach-Object { $_.authScheme | Should -Be 'Basic' }
        }
    }

    Context 'traps' {
        It 'a wrong API token answered as anonymous yields AuthenticatedAsAnonymous' {
            $cred = New-TestCredential 'admin@example.com' (Get-TestSecret WrongToken)
            { Connect-JiraSite -Url $script:Cloud.Url -Credential $cred } |
                Should -Throw -ErrorId "AuthenticatedAsAnonymous,$script:Cmd"
        }

        It 'a password instead of an API token on Cloud yields ApiTokenRequired' {
            $cred = New-TestCredential 'admin@example.com' (Get-TestSecret AdminPassword)
            $e = { Connect-JiraSite -Url $script:Cloud.Url -Credential $cred } | Should -Throw -ErrorId "ApiTokenRequired,$script:Cmd" -PassThru
            $e.ErrorDetails.Message | Should -Match 'id\.atlassian\.com'
            $e.CategoryInfo.Category | Should -Be 'AuthenticationError'
        }

        It 'a CAPTCHA-locked account yields CaptchaRequired' {
            $cred = New-TestCredential 'captcha@example.com' (Get-TestSecret CloudCaptchaToken)
            $e = { Connect-JiraSite -Url $script:Cloud.Url -Credential $cred } | Should -Throw -ErrorId "CaptchaRequired,$script:Cmd" -PassThru
            $e.ErrorDetails.Message | Should -Match 'browser'
        }

        It 'basic auth disabled on Data Center yields BasicAuthDisabled' {
            $null = Invoke-EmulatorAdmin $script:DataCenter 'settings' -Method PUT -Body @{ basicAuthEnabled = $false }
            $e = { Connect-JiraSite -Url $script:DataCenter.Url -Credential (Get-DataCenterAdminCredential) } |
                Should -Throw -ErrorId "BasicAuthDisabled,$script:Cmd" -PassThru
            $e.ErrorDetails.Message | Should -Match 'PersonalAccessToken'
        }

        It 'an SSO proxy login page yields HtmlLoginPage' {
            $null = Add-EmulatorFault $script:Cloud -Kind html -Times -1
            $e = { Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) } |
                Should -Throw -ErrorId "HtmlLoginPage,$script:Cmd" -PassThru
            $e.CategoryInfo.Category | Should -Be 'ProtocolError'
        }

        It 'a redirect to another host yields RedirectRefused, naming the host, and nothing is sent there' {
            $other = Start-WebhookTestServer -Status 200
            try {
                $null = Add-EmulatorFault $script:Cloud -Kind redirect -Status 302 -Path '/rest/api/2/serverInfo' -Location $other.Url -Times -1
                $e = { Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) } |
                    Should -Throw -ErrorId "RedirectRefused,$script:Cmd" -PassThru
                $e.CategoryInfo.Category | Should -Be 'SecurityError'
                $authority = $other.Url.GetLeftPart([UriPartial]::Authority)
                $e.Exception.Message | Should -BeLike "*redirected (302) to $authority*"
                $e.Exception.RecommendedAction | Should -BeLike "*-Url $authority/*"
                $other.Requests | Should -Be 0
            }
            finally { $other.Dispose() }
        }

        It 'a wrong personal access token yields AuthenticationFailed' {
            $pat = ConvertTo-SecureString (Get-TestSecret WrongToken) -AsPlainText -Force
            { Connect-JiraSite -Url $script:DataCenter.Url -PersonalAccessToken $pat } |
                Should -Throw -ErrorId "AuthenticationFailed,$script:Cmd"
        }

        It 'an empty password or token yields CredentialEmpty' {
            $empty = [pscredential]::new('admin@example.com', [securestring]::new())
            $e = { Connect-JiraSite -Url $script:Cloud.Url -Credential $empty } | Should -Throw -ErrorId "CredentialEmpty,$script:Cmd" -PassThru
            $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
            { Connect-JiraSite -Url $script:DataCenter.Url -PersonalAccessToken ([securestring]::new()) } |
                Should -Throw -ErrorId "CredentialEmpty,$script:Cmd"
        }

        It 'malformed JSON yields InvalidJsonResponse' {
            $null = Add-EmulatorFault $script:Cloud -Kind malformedJson -Path '/rest/api/3/myself'
            { Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) } |
                Should -Throw -ErrorId "InvalidJsonResponse,$script:Cmd"
        }

        It 'a dropped connection yields ConnectionFailed' {
            $null = Add-EmulatorFault $script:Cloud -Kind drop -Times -1
            $e = { Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) } |
                Should -Throw -ErrorId "ConnectionFailed,$script:Cmd" -PassThru
            $e.CategoryInfo.Category | Should -Be 'ConnectionError'
        }

        It 'refuses credentials over http:// to a non-loopback host' {
            $e = { Connect-JiraSite -Url 'http://jira.example.com' -Credential (Get-CloudAdminCredential) } |
                Should -Throw -ErrorId "UnencryptedAuthenticationRefused,$script:Cmd" -PassThru
            $e.ErrorDetails.Message | Should -Match 'AllowUnencryptedAuthentication'
            $e.TargetObject | Should -Be 'http://jira.example.com/'
        }

        It 'rejects a URL that is not http(s)' {
            { Connect-JiraSite -Url 'ftp://jira.example.com' -Credential (Get-CloudAdminCredential) } |
                Should -Throw -ErrorId "InvalidUrl,$script:Cmd"
        }

        It 'warns when certificate checks are skipped' {
            $null = Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) -SkipCertificateCheck -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings.Count | Should -Be 1
            "$warnings" | Should -Match 'certificate'
        }
    }

    Context 'sessions' {
        It 'keeps named sessions side by side and the latest is the default' {
            $a = Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) -Name cloud
            $b = Connect-JiraSite -Url $script:DataCenter.Url -Credential (Get-DataCenterAdminCredential) -Name dc
            (Get-JiraSession).Name | Should -Be @('cloud', 'dc')
            (Get-JiraSession -Name 'c*').Name | Should -Be 'cloud'
            $b.IsDefault | Should -BeTrue
            $a.IsDefault | Should -BeFalse
            (Get-JiraProject -Session cloud -First 1).Session | Should -Be 'cloud'
            (Get-JiraProject -Session $b -First 1).Session | Should -Be 'dc'
        }

        It 'reconnecting with the same name replaces the session' {
            $first = Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) -Name same
            $second = Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) -Name same
            @(Get-JiraSession -Name same).Count | Should -Be 1
            $first.IsClosed | Should -BeTrue
            $second.IsClosed | Should -BeFalse
        }

        It 'Get-JiraSession reports an unknown name' {
            Get-JiraSession -Name nope -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'SessionNotFound,JiraConnect.Commands.GetJiraSessionCommand'
        }

        It 'Disconnect-JiraSite -WhatIf changes nothing, then disconnects' {
            $null = Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) -Name temp
            Disconnect-JiraSite -Name temp -WhatIf
            (Get-JiraSession -Name temp).Name | Should -Be 'temp'
            $removed = Disconnect-JiraSite -Name temp -PassThru
            $removed.IsClosed | Should -BeTrue
            Get-JiraSession | Should -BeNullOrEmpty
        }

        It 'cmdlets without a session say to connect first' {
            { Get-JiraProject } | Should -Throw -ErrorId 'NotConnected,JiraConnect.Commands.GetJiraProjectCommand'
        }

        It '-Session with an unknown name fails with SessionNotFound and a clear message' {
            $e = { Get-JiraProject -Session nosuch } | Should -Throw -PassThru
            $e.FullyQualifiedErrorId | Should -Be 'SessionNotFound,JiraConnect.Commands.GetJiraProjectCommand'
            $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $e.TargetObject | Should -Be 'nosuch'
            $e.Exception.Message | Should -Match "no Jira session named 'nosuch'"
            { Test-JiraConnection -Session nosuch } | Should -Throw -ErrorId 'SessionNotFound,JiraConnect.Commands.TestJiraConnectionCommand'
            { Get-JiraConnectorSetting -Session nosuch } | Should -Throw -ErrorId 'SessionNotFound,JiraConnect.Commands.GetJiraConnectorSettingCommand'
        }

        It 'shows a short table view and never the credential' {
            $session = Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential)
            $table = $session | Format-Table | Out-String
            $table | Should -Match 'AuthenticationType'
            $table | Should -Match '\*\s127\.0\.0\.1\s+http://127\.0\.0\.1:\d+/?\s+ApiToken\s+Ada Admin'
            $table | Should -Match 'Ada Admin'
            ($session | Format-List * | Out-String) | Should -Not -Match ([regex]::Escape((Get-TestSecret CloudAdminToken)))
            $session.ToString() | Should -Be "127.0.0.1 ($($script:Cloud.Url)/)"
        }
    }
}
