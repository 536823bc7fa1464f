#Requires -Version 5.1
<#
.SYNOPSIS
    Proves that a Jira site is ready for an integration: the site is reachable, the credentials work, the account
    is active, it holds what the integration needs in every required project, and the webhook listener accepts
    Jira's deliveries. Every failure says what to do.
.DESCRIPTION
    Ships with the JiraConnect module; find it with Get-JiraEnvironmentTestPath. Pass the inputs through a
    Pester 5 container:

        $data = @{
            Url           = 'https://contoso.atlassian.net'
            Credential    = Get-Credential jira.integration@contoso.com      # password = the API token
            Project       = 'IT', 'HR', 'FIN'
            ListenerUrl   = 'https://listener.contoso.com/jira'
            ListenerToken = Get-Secret ListenerToken
        }
        Invoke-Pester -Container (New-PesterContainer -Path (Get-JiraEnvironmentTestPath) -Data $data) -Output Detailed

    Parameters: Url with Credential or PersonalAccessToken (or Session, the name of an open session, or neither
    for the default session); Project (the projects the integration works in; without it every project the
    account can see must be ready); Permission and Role (default: browse, create, edit, transition, assign,
    comment and delete, and the Administrators role); ListenerUrl and ListenerToken; ExpectedAccountType; TokenExpiresAt
    (when the API token or personal access token expires) and CredentialExpiryWarningDays (default 30).
#>
param(
    [Uri] $Url,
    [pscredential] $Credential,
    [securestring] $PersonalAccessToken,
    [string] $Session,
    [string[]] $Project,
    [string[]] $Permission,
    [string] $Role = 'Administrators',
    [Uri] $ListenerUrl,
    [securestring] $ListenerToken,
    [string] $ExpectedAccountType = 'atlassian',
    [Nullable[DateTimeOffset]] $TokenExpiresAt,
    [int] $CredentialExpiryWarningDays = 30
)

BeforeDiscovery {
    $Site = if ($Url) { $Url.GetLeftPart([UriPartial]::Authority) } elseif ($Session) { "session $Session" } else { 'the default session' }
    $ProjectCases = @($Project | Where-Object { $_ } | ForEach-Object { @{ Key = $_.Trim() } })
    $AllProjectsCases = if ($ProjectCases.Count -gt 0) { @() } else { @(@{ }) }
    $OAuthChecks = 'OAuthTokenExpiry', 'OAuthRefresh', 'OAuthScopes', 'OAuthAccessibleResources'
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'JiraConnect.psd1')

    $script:JiraSession = $null
    $script:OwnSession = $false
    $script:ConnectError = $null
    if ($Session) {
        $script:JiraSession = Get-JiraSession -Name $Session -ErrorAction Stop
    }
    elseif ($Url) {
        $connect = @{ Url = $Url; Name = "environment-tests-$([guid]::NewGuid().ToString('n').Substring(0, 8))"; ErrorAction = 'Stop' }
        if ($PersonalAccessToken) { $connect.PersonalAccessToken = $PersonalAccessToken } else { $connect.Credential = $Credential }
        if ($TokenExpiresAt) { $connect.TokenExpiresAt = $TokenExpiresAt }
        try {
            $script:JiraSession = Connect-JiraSite @connect
            $script:OwnSession = $true
        }
        catch {
            $script:ConnectError = $_
        }
    }
    else {
        $script:JiraSession = Get-JiraSession | Where-Object IsDefault | Select-Object -First 1
        if (-not $script:JiraSession) { throw 'No Jira session: pass Url with Credential or PersonalAccessToken in the container data, or run Connect-JiraSite first.' }
    }

    $test = @{ Role = $Role; ExpectedAccountType = $ExpectedAccountType; SkipProjectAccess = [bool]$Project; CredentialExpiryWarningDays = $CredentialExpiryWarningDays }
    if ($TokenExpiresAt -and -not $script:JiraSession) { $test.TokenExpiresAt = $TokenExpiresAt }
    if ($Permission) { $test.Permission = $Permission }
    if ($ListenerUrl) { $test.ListenerUrl = $ListenerUrl }
    if ($ListenerToken) { $test.ListenerToken = $ListenerToken }
    if ($script:JiraSession) {
        $checks = Test-JiraConnection -Session $script:JiraSession @test
    }
    elseif ($PersonalAccessToken) {
        $checks = Test-JiraConnection -Url $Url -PersonalAccessToken $PersonalAccessToken @test
    }
    else {
        $checks = Test-JiraConnection -Url $Url -Credential $Credential @test
    }
    $script:Checks = @{}
    foreach ($check in $checks) { $script:Checks[$check.Name] = $check }

    $script:Access = @{}
    $script:AccessErrors = @{}
    if ($Project -and $script:JiraSession -and $script:Checks['Credentials'].Status -eq 'Pass') {
        $audit = @{ Session = $script:JiraSession; ProjectKey = $Project; RequireRole = $Role; ErrorAction = 'SilentlyContinue'; ErrorVariable = 'auditErrors' }
        if ($Permission) { $audit.Permission = $Permission }
        Test-JiraProjectAccess @audit | ForEach-Object { $script:Access[$_.ProjectKey] = $_ }
        foreach ($record in $auditErrors) { $script:AccessErrors[[string]$record.TargetObject] = $record }
    }

    function Assert-JiraCheck {
        # Fails with the check's finding and remedy; a warning passes (and is shown), a check that does not apply is skipped.
        param([string] $Name)
        $check = $script:Checks[$Name]
        if (-not $check) { throw "The check $Name did not run." }
        switch ($check.Status) {
            'Fail' { throw "$($check.Detail) Fix: $($check.Remedy)" }
            'Skipped' { throw "Not checked: $($check.Detail)" }
            'NotApplicable' { Set-ItResult -Skipped -Because ($check.Detail.Substring(0, 1).ToLowerInvariant() + $check.Detail.Substring(1)) }
            'Warn' { Write-Warning "$Name : $($check.Detail) $($check.Remedy)" }
        }
    }

    function Assert-ProjectReady {
        param([string] $Key)
        $credentials = $script:Checks['Credentials']
        if ($credentials.Status -ne 'Pass') { throw "Project ${Key}: not checked, because the credentials failed: $($credentials.Detail) Fix: $($credentials.Remedy)" }
        if ($script:AccessErrors.ContainsKey($Key)) { throw "Project ${Key}: $($script:AccessErrors[$Key].ErrorDetails.Message)" }
        $access = $script:Access[$Key]
        if (-not $access) { throw "Project ${Key}: the audit returned nothing for this project." }
        if (-not $access.Ready) {
            $detail = $access.Detail.Substring(0, 1).ToLowerInvariant() + $access.Detail.Substring(1)
            throw "Project ${Key}: $detail $($access.Remedy)"
        }
    }
}

AfterAll {
    if ($script:OwnSession -and $script:JiraSession) { $script:JiraSession | Disconnect-JiraSite }
}

Describe 'Jira environment: <Site>' -ForEach @(@{ Site = $Site }) {
    Context 'Site' {
        It 'resolves in DNS' { Assert-JiraCheck DnsResolution }
        It 'is reached over trusted TLS (or plain HTTP on this computer only)' { Assert-JiraCheck TlsHandshake }
        It 'reports its deployment and REST version' { Assert-JiraCheck Deployment }
    }

    Context 'Account' {
        It 'accepts the credentials (not anonymous, no CAPTCHA)' { Assert-JiraCheck Credentials }
        It 'is active and of the expected type' { Assert-JiraCheck Account }
        It 'has a credential that does not expire soon' { Assert-JiraCheck CredentialExpiry }
    }

    Context 'OAuth 2.0' {
        It '<_>' -ForEach $OAuthChecks { Assert-JiraCheck $_ }
    }

    Context 'Projects' {
        It 'Project <Key> is ready for the integration' -ForEach $ProjectCases { Assert-ProjectReady $Key }
        It 'every project the account can see is ready' -ForEach $AllProjectsCases { Assert-JiraCheck ProjectAccess }
    }

    Context 'Webhook listener' {
        It 'accepts a test delivery with the token within Jira''s limits' { Assert-JiraCheck ListenerDelivery }
        It 'refuses a delivery without the token' { Assert-JiraCheck ListenerAuthentication }
    }
}
