# The real-browser consent: Debian's Chromium, driven by Playwright from tests/ConsentBrowser, opens the URL that
# Invoke-JiraOAuthConsent produced, logs in on the emulator's consent page and clicks Accept (then Decline).
BeforeDiscovery {
    $script:HasChromium = Test-Path '/usr/bin/chromium'
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-JiraConnectModulePath) -Force
    $script:Emu = Start-JiraEmulator -Flavor cloud -Projects 7
    $script:SavedBrowser = $env:BROWSER
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ("jiraconnect-browser-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $script:Work
}

AfterAll {
    $env:BROWSER = $script:SavedBrowser
    Get-JiraSession | Disconnect-JiraSite
    $script:Emu | Stop-JiraEmulator
    Remove-Item $script:Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Consent in a real browser (headless Chromium)' {
    It 'Chromium is installed (the CI script installs the Debian package)' {
        if (-not (Test-Path '/usr/bin/chromium') -and -not $env:CI) { Set-ItResult -Skipped -Because '/usr/bin/chromium is missing: apt-get install -y chromium chromium-driver' }
        Test-Path '/usr/bin/chromium' | Should -BeTrue
    }

    It 'Accept returns a token; accessible resources and projects through the gateway are exactly the user''s' -Skip:(-not $script:HasChromium) {
        Reset-JiraEmulator $script:Emu
        $app = Register-EmulatorOAuthApp $script:Emu
        $result = Join-Path $script:Work 'accept.json'
        $env:BROWSER = Get-ConsentBrowserCommand -Engine chromium -User limited@example.com -Password (Get-TestSecret LimitedPassword) -ResultFile $result
        $token = Invoke-JiraOAuthConsent -ClientCredential $app.Credential -RedirectUri $app.RedirectUri -Scope read:jira-work, read:jira-user, offline_access -Environment $script:Emu.Url -TimeoutSec 120

        $token.ClientId | Should -Be $app.ClientId
        $token.CanRefresh | Should -BeTrue
        $resources = @(Get-JiraAccessibleResource -Token $token)
        $resources.Count | Should -Be 1
        $resources[0].CloudId | Should -Be (Get-EmulatorCloudId)
        $resources[0].Url.AbsoluteUri | Should -Be "$($script:Emu.Url)/"
        $resources[0].IsJira | Should -BeTrue

        $session = Connect-JiraSite -OAuthToken $token -CloudId $resources[0].CloudId
        $session.User.DisplayName | Should -Be 'Lee Limited'
        # The limited user may browse the projects at even positions only.
        (Get-JiraProject).Key | Should -Be @('DEV', 'HR', 'MKT', 'PAAAA')
        (Get-EmulatorRequest $script:Emu -Path '/ex/jira/' | Where-Object { $_ -and $_.authScheme -ne 'Bearer' }) | Should -BeNullOrEmpty
        (Read-ConsentResult $result).text | Should -Match 'You may close this tab'
    }

    It 'Decline fails with OAuthAccessDenied' -Skip:(-not $script:HasChromium) {
        Reset-JiraEmulator $script:Emu
        $app = Register-EmulatorOAuthApp $script:Emu
        $env:BROWSER = Get-ConsentBrowserCommand -Engine chromium -Action decline
        { Invoke-JiraOAuthConsent -ClientCredential $app.Credential -RedirectUri $app.RedirectUri -Scope read:jira-work -Environment $script:Emu.Url -TimeoutSec 120 } |
            Should -Throw -ErrorId 'OAuthAccessDenied,JiraConnect.Commands.InvokeJiraOAuthConsentCommand'
        (Get-EmulatorIssuedSecret $script:Emu -Kind code).Count | Should -Be 0
    }
}
