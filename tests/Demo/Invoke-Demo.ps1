<#
.SYNOPSIS
    The Basic Auth, OAuth 2.0 (3LO) and webhook walkthroughs, run with the real module against the built-in Atlassian emulator.
.DESCRIPTION
    Starts the emulator (a Jira Cloud site and a Jira Data Center server on 127.0.0.1), then does what an admin
    does when connecting an integration platform with Basic Auth: connect with email + API token, list the
    projects the account can see, test GET /rest/api/3/project as the connector guide does, look at the
    session, and see what a wrong token, a password instead of a token, and a Data Center personal access
    token look like. Then the OAuth walkthrough: register an app, grant consent in a headless browser (Chromium
    when installed), list the accessible resources, call Jira through the API gateway as that user, and print
    the connector form. Then the webhook connection: a local listener that demands a Bearer token, every body
    format of "Send web request" sent to it, what Jira would make of a wrong token, a slow listener and a
    redirect, a burst, and an Automation rule of the Data Center emulator that delivers once its URL is on the
    allowlist. On the Cloud site the rule is provisioned as code: New-JiraWebhookRule -Enable, an issue delivered
    with the token verified, Set-JiraWebhookRuleToken rotation and a delivery with the new token, the rule
    disabled. Then the machine-to-machine paths: a service account's OAuth 2.0 client credentials and its scoped API
    token given only the site URL, each listing the projects it may see; the CredentialExpiry warning of
    Test-JiraConnection for a token that expires in 10 days; and Get-JiraApiTokenExpiry listing the organization's
    API tokens with their expiry, as a runbook would warn about them. Stops everything at the end.
#>
[CmdletBinding()]
param(
    [string] $Configuration = 'Release',
    # Pester 5, for the ready-made environment suite; without it that step is shown but not run.
    [string] $PesterModule
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module (Join-Path $PSScriptRoot '../Pester/TestHelpers.psm1') -Force

function Show-Step([string] $Text) { Write-Host ''; Write-Host "== $Text" -ForegroundColor Cyan }
function Show-Command([string] $Text) { Write-Host "PS> $Text" -ForegroundColor Yellow }
function Show-Error([System.Management.Automation.ErrorRecord] $Record) {
    Write-Host "  FullyQualifiedErrorId : $($Record.FullyQualifiedErrorId)" -ForegroundColor Red
    Write-Host "  Category              : $($Record.CategoryInfo.Category)" -ForegroundColor Red
    Write-Host "  Message               : $($Record.ErrorDetails.Message)" -ForegroundColor Red
}

$cloud = $null; $dc = $null
try {
    Show-Step 'Start the Atlassian emulator (Jira Cloud site and Jira Data Center server)'
    $cloud = Start-JiraEmulator -Flavor cloud -Projects 25
    $dc = Start-JiraEmulator -Flavor datacenter -Projects 12
    Write-Host "  Jira Cloud site      : $($cloud.Url)"
    Write-Host "  Jira Data Center     : $($dc.Url)"

    Show-Step 'Import the module'
    Show-Command 'Import-Module JiraConnect'
    Import-Module (Get-JiraConnectModulePath) -Force
    Get-Command -Module JiraConnect | Format-Table CommandType, Name, Version -AutoSize | Out-Host

    Show-Step 'Step 1-3 of the guide: connect with email + API token and prove it works'
    # In real use: $cred = Get-Credential admin@example.com   (password = the API token)
    $cred = Get-CloudAdminCredential
    Show-Command "`$cred = Get-Credential admin@example.com   # password = the API token"
    Show-Command "Connect-JiraSite -Url $($cloud.Url) -Credential `$cred"
    $session = Connect-JiraSite -Url $cloud.Url -Credential $cred
    $session | Format-List Name, SiteUrl, ApiBaseUrl, DeploymentType, Version, RestApiVersion, AuthenticationType, User, IsDefault | Out-Host

    Show-Step 'List the projects the connector account can see'
    Show-Command 'Get-JiraProject | Format-Table'
    Get-JiraProject | Format-Table | Out-Host
    Show-Command 'Get-JiraProject -Key IT, HR'
    Get-JiraProject -Key IT, HR | Format-Table | Out-Host

    Show-Step 'The guide''s test call: GET /rest/api/3/project'
    Show-Command "(Invoke-JiraRestMethod /rest/api/3/project | Measure-Object).Count"
    (Invoke-JiraRestMethod /rest/api/3/project | Measure-Object).Count | Out-Host

    Show-Step 'What a wrong API token looks like (Jira answers as anonymous)'
    Show-Command "Connect-JiraSite -Url $($cloud.Url) -Credential (Get-Credential admin@example.com)   # mistyped token"
    try { $null = Connect-JiraSite -Url $cloud.Url -Credential (New-TestCredential 'admin@example.com' 'not-the-right-token') -Name wrong }
    catch { Show-Error $_ }

    Show-Step 'What an account password instead of an API token looks like'
    try { $null = Connect-JiraSite -Url $cloud.Url -Credential (New-TestCredential 'admin@example.com' (Get-TestSecret AdminPassword)) -Name password }
    catch { Show-Error $_ }

    Show-Step 'Step 2 of the guide: is the connector account in every project it needs? Audit its access'
    Show-Command 'Test-JiraProjectAccess | Where-Object { -not $_.Ready } | Format-Table'
    Test-JiraProjectAccess | Where-Object { -not $_.Ready } | Sort-Object ProjectKey | Format-Table | Out-Host
    Show-Command 'Test-JiraProjectAccess -ProjectKey HR | Format-List ProjectKey, Ready, Missing, RoleMembership, Detail, Remedy, DeterminedBy'
    Test-JiraProjectAccess -ProjectKey HR | Format-List ProjectKey, Ready, Missing, RoleMembership, Detail, Remedy, DeterminedBy | Out-Host

    Show-Step 'Fix one project: first a dry run with -WhatIf, then for real'
    Show-Command 'Test-JiraProjectAccess -ProjectKey HR | Add-JiraProjectRoleActor -WhatIf'
    Test-JiraProjectAccess -ProjectKey HR | Add-JiraProjectRoleActor -WhatIf
    Show-Command 'Test-JiraProjectAccess -ProjectKey HR | Add-JiraProjectRoleActor'
    Test-JiraProjectAccess -ProjectKey HR | Add-JiraProjectRoleActor | Format-Table | Out-Host
    Show-Command 'Test-JiraProjectAccess -ProjectKey HR, IT | Format-Table'
    Test-JiraProjectAccess -ProjectKey HR, IT | Sort-Object ProjectKey | Format-Table | Out-Host

    Show-Step 'Every check of the connection, the webhook listener included'
    # In real use: $listenerToken = Get-Secret -Name ListenerToken   (here: the emulator's own listener)
    $listenerToken = ConvertTo-SecureString (Get-TestSecret EmulatorListenerToken) -AsPlainText -Force
    $listenerUrl = Get-EmulatorListenerUrl $cloud
    Show-Command "Test-JiraConnection -ProjectKey DEV, FIN, HR, IT -ListenerUrl $listenerUrl -ListenerToken `$listenerToken"
    Test-JiraConnection -ProjectKey DEV, FIN, HR, IT -ListenerUrl $listenerUrl -ListenerToken $listenerToken | Format-Table -Wrap | Out-String -Width 160 | Out-Host
    Show-Command 'Test-JiraConnection -ProjectKey DEV, FIN, HR, IT -Quiet'
    Test-JiraConnection -ProjectKey DEV, FIN, HR, IT -Quiet | Out-Host

    Show-Step 'The ready-made Pester suite that ships with the module'
    Show-Command 'Get-JiraEnvironmentTestPath'
    Get-JiraEnvironmentTestPath | Out-Host
    $data = @{ Url = $cloud.Url; Credential = $cred; Project = 'DEV', 'FIN', 'HR', 'IT'; ListenerUrl = $listenerUrl; ListenerToken = $listenerToken }
    Show-Command '$data = @{ Url = ...; Credential = $cred; Project = ''DEV'', ''FIN'', ''HR'', ''IT''; ListenerUrl = ...; ListenerToken = $listenerToken }'
    Show-Command 'Invoke-Pester -Container (New-PesterContainer -Path (Get-JiraEnvironmentTestPath) -Data $data) -Output Detailed'
    if ($PesterModule -and (Test-Path $PesterModule)) {
        Import-Module $PesterModule
        $result = Invoke-Pester -Container (New-PesterContainer -Path (Get-JiraEnvironmentTestPath) -Data $data) -Output Detailed -PassThru
        Write-Host "  Passed: $($result.PassedCount), failed: $($result.FailedCount), skipped: $($result.SkippedCount)"

        Show-Step 'What the suite says about a project that is not ready (MKT) and a wrong listener token'
        $data.Project = 'MKT'
        $data.ListenerToken = ConvertTo-SecureString 'not-the-listener-token' -AsPlainText -Force
        $result = Invoke-Pester -Container (New-PesterContainer -Path (Get-JiraEnvironmentTestPath) -Data $data) -Output None -PassThru
        $result.Failed | ForEach-Object { Write-Host "  [-] $($_.ExpandedName)" -ForegroundColor Red; Write-Host "      $($_.ErrorRecord[0].Exception.Message)" -ForegroundColor Red }
    }
    else {
        Write-Host '  (Pester 5 was not found; install it with Install-PSResource Pester to run the suite.)'
    }

    Show-Step 'Jira Data Center with a personal access token (Bearer)'
    # In real use: $pat = Read-Host -AsSecureString 'Personal access token'
    Show-Command "Connect-JiraSite -Url $($dc.Url) -PersonalAccessToken `$pat -Name dc"
    $pat = ConvertTo-SecureString (Get-TestSecret DataCenterAdminPat) -AsPlainText -Force
    $null = Connect-JiraSite -Url $dc.Url -PersonalAccessToken $pat -Name dc
    Get-JiraProject -Session dc -First 5 | Format-Table | Out-Host

    Show-Step 'Webhook: a local listener that demands a Bearer token, like the integration''s listener'
    # In real use: $listenerToken = Get-Credential listener   (password = the listener's API key)
    $listenerToken = ConvertTo-SecureString (Get-TestSecret ListenerToken) -AsPlainText -Force
    Show-Command '$listener = Start-JiraWebhookListener -Token $listenerToken -Path /hooks/jira'
    $listener = Start-JiraWebhookListener -Token $listenerToken -Path /hooks/jira
    $listener | Format-Table | Out-Host

    Show-Step 'Send every body format of "Send web request" the way Jira would (5 s to connect, 20 s to answer, no retry)'
    Show-Command "'Empty', 'AutomationIssue', 'JiraIssue', 'ServiceManagement', 'SystemWebhook' | ForEach-Object { Send-JiraTestWebhook -Uri `$listener.Url -Token `$listenerToken -Body `$_ }"
    $results = foreach ($format in 'Empty', 'AutomationIssue', 'JiraIssue', 'ServiceManagement', 'SystemWebhook') {
        Send-JiraTestWebhook -Uri $listener.Url -Token $listenerToken -Body $format
    }
    $results | Format-Table BodyFormat, Outcome, StatusCode, @{ Name = 'Ms'; Expression = { [int]$_.TotalTime.TotalMilliseconds } }, RequestBodyLength -AutoSize | Out-Host
    Show-Command "Send-JiraTestWebhook -Uri `$listener.Url -Token `$listenerToken -Body Custom -CustomData '{""key"":""`${issue.key}"",""priority"":""{{issue.fields.priority.name}}""}'"
    $null = Send-JiraTestWebhook -Uri $listener.Url -Token $listenerToken -Body Custom -CustomData '{"key":"${issue.key}","priority":"{{issue.fields.priority.name}}"}'
    Show-Command 'Receive-JiraWebhook | Format-Table'
    $received = Receive-JiraWebhook -Listener $listener
    $received | Format-Table | Out-Host
    Write-Host "  Custom body as received: $($received[-1].Body)"

    Show-Step 'What Jira would make of a wrong token, a slow listener and a redirect'
    $wrong = ConvertTo-SecureString 'not-the-listener-token' -AsPlainText -Force
    Show-Command 'Send-JiraTestWebhook -Uri $listener.Url -Token $wrongToken'
    (Send-JiraTestWebhook -Uri $listener.Url -Token $wrong).Verdict | Out-Host
    $refused = Receive-JiraWebhook -Listener $listener
    Write-Host "  The listener kept it as refused: status $($refused.StatusCode), token valid: $($refused.TokenValid)"
    $slow = Start-WebhookTestServer -Status 200 -DelayMs 5000
    $moved = Start-WebhookTestServer -Status 302 -Location 'https://listener.example.com/v2/hooks/jira'
    try {
        Show-Command 'Send-JiraTestWebhook -Uri $slowListener -Token $listenerToken -TimeoutSec 2   # Jira waits 20 s'
        (Send-JiraTestWebhook -Uri $slow.Url -Token $listenerToken -TimeoutSec 2).Verdict | Out-Host
        Show-Command 'Send-JiraTestWebhook -Uri $movedListener -Token $listenerToken'
        (Send-JiraTestWebhook -Uri $moved.Url -Token $listenerToken).Verdict | Out-Host
    }
    finally { $slow.Dispose(); $moved.Dispose() }

    Show-Step 'A burst: 500 admin webhooks at 32 in parallel'
    Show-Command 'Send-JiraTestWebhook -Uri $listener.Url -Token $listenerToken -Body SystemWebhook -Count 500 -ThrottleLimit 32'
    $burst = Send-JiraTestWebhook -Uri $listener.Url -Token $listenerToken -Body SystemWebhook -Count 500 -ThrottleLimit 32
    $burst | Format-Table | Out-Host
    Write-Host "  $($burst.Verdict)"
    Write-Host "  Received by the listener: $(@(Receive-JiraWebhook -Listener $listener -Count 500 -TimeoutSec 30).Count)"

    Show-Step 'Data Center: an Automation rule delivers only once the listener URL is on the allowlist'
    Show-Command 'Test-JiraWebhookAllowlist -Uri $listener.Url -Session dc'
    Test-JiraWebhookAllowlist -Uri $listener.Url -Session dc | Format-List Status, Message | Out-Host
    $rule = @{ name = 'Send to the integration'; trigger = 'issue_created'; url = $listener.Url.ToString(); body = 'jira'
        headers = @{ Authorization = "Bearer $(Get-TestSecret ListenerToken)" } }
    $null = Invoke-EmulatorAdmin $dc 'automation/rules' -Body $rule
    $null = Invoke-EmulatorAdmin $dc 'allowlist' -Method PUT -Body @{ rules = @(@{ expression = $listener.Url.ToString(); type = 'EXACT_URL' }) }
    Write-Host '  (an administrator adds the listener URL to the allowlist)'
    Test-JiraWebhookAllowlist -Uri $listener.Url -Session dc | Format-List Status, MatchedRule | Out-Host
    Show-Command "Invoke-JiraRestMethod -Session dc -Method POST issue -Body @{ fields = @{ project = @{ key = 'DEV' }; summary = 'VPN down'; issuetype = @{ name = 'Bug' } } }"
    $issue = Invoke-JiraRestMethod -Session dc -Method POST issue -Body @{ fields = @{ project = @{ key = 'DEV' }; summary = 'VPN down'; issuetype = @{ name = 'Bug' } } } -Confirm:$false
    $delivery = Receive-JiraWebhook -Listener $listener -Count 1 -TimeoutSec 30
    Write-Host "  Created $($issue.key); the rule delivered $($delivery.Json.issue.key) with the token verified: $($delivery.TokenValid)"
    (Wait-EmulatorAudit $dc -Count 1) | Format-Table ruleName, issueKey, status, httpStatus, message -AutoSize | Out-Host
    $listener | Stop-JiraWebhookListener

    Show-Step 'Jira Cloud: the webhook rule as code (Automation Rule Management API) instead of clicks in the rule editor'
    Show-Command '$listener = Start-JiraWebhookListener -Token $listenerToken -Path /hooks/jira'
    $listener = Start-JiraWebhookListener -Token $listenerToken -Path /hooks/jira
    Show-Command "New-JiraWebhookRule -Name 'Integration: issue events' -ProjectKey IT -Trigger IssueCreated -Uri `$listener.Url -Token `$listenerToken -Body AutomationIssue -Enable"
    $rule = @{ Session = $session; Name = 'Integration: issue events'; ProjectKey = 'IT'; Trigger = 'IssueCreated'; Uri = $listener.Url; Token = $listenerToken; Body = 'AutomationIssue' }
    New-JiraWebhookRule @rule -Enable | Format-Table | Out-Host
    Show-Command '# the same command again: idempotent, nothing is duplicated'
    New-JiraWebhookRule @rule -Enable | Format-Table | Out-Host
    Show-Command 'Get-JiraAutomationRule -Uri $listener.Url   # every rule that feeds the listener'
    Get-JiraAutomationRule -Session $session -Uri $listener.Url | Format-Table | Out-Host

    Show-Step 'Create an issue: the rule sends it to the listener with the hidden Bearer token'
    $newIssue = @{ fields = @{ project = @{ key = 'IT' }; summary = 'VPN down'; issuetype = @{ name = 'Task' } } }
    Show-Command "Invoke-JiraRestMethod -Method POST issue -Body @{ fields = @{ project = @{ key = 'IT' }; summary = 'VPN down'; issuetype = @{ name = 'Task' } } }"
    $issue = Invoke-JiraRestMethod -Session $session -Method POST issue -Body $newIssue -Confirm:$false
    Show-Command 'Receive-JiraWebhook -Listener $listener -Wait'
    $delivery = Receive-JiraWebhook -Listener $listener -Count 1 -TimeoutSec 30
    $delivery | Format-Table | Out-Host
    if (-not $delivery.TokenValid -or $delivery.Json.key -ne $issue.key) { throw "The rule's delivery of $($issue.key) did not arrive with the listener token." }
    Write-Host "  Created $($issue.key); the rule delivered $($delivery.Json.key) with the token verified: $($delivery.TokenValid)"

    Show-Step 'Rotate the listener token: the rule gets the new one without the old one ever being read back'
    # In real use: $newToken = Get-Credential listener   (password = the new API key of the listener)
    $newToken = ConvertTo-SecureString 'mw-listener-rotated-Demo7Kq2' -AsPlainText -Force
    Show-Command 'Get-JiraAutomationRule -Uri $listener.Url | Set-JiraWebhookRuleToken -Token $newToken'
    Get-JiraAutomationRule -Session $session -Uri $listener.Url | Set-JiraWebhookRuleToken -Session $session -Token $newToken | Format-Table | Out-Host
    $port = $listener.Url.Port
    $listener | Stop-JiraWebhookListener
    Show-Command '$listener = Start-JiraWebhookListener -Token $newToken -Path /hooks/jira   # the listener now demands the new token'
    $listener = Start-JiraWebhookListener -Token $newToken -Path /hooks/jira -Port $port
    $issue = Invoke-JiraRestMethod -Session $session -Method POST issue -Body $newIssue -Confirm:$false
    $delivery = Receive-JiraWebhook -Listener $listener -Count 1 -TimeoutSec 30
    if (-not $delivery.TokenValid -or $delivery.Json.key -ne $issue.key) { throw "After the rotation the delivery of $($issue.key) did not arrive with the new token." }
    Write-Host "  Created $($issue.key); the rule delivered $($delivery.Json.key) with the new token verified: $($delivery.TokenValid)"

    Show-Step 'Retire the rule: disabled, it sends nothing more'
    Show-Command 'Get-JiraAutomationRule -Uri $listener.Url | Disable-JiraAutomationRule'
    Get-JiraAutomationRule -Session $session -Uri $listener.Url | Disable-JiraAutomationRule -Session $session | Format-Table | Out-Host
    $issue = Invoke-JiraRestMethod -Session $session -Method POST issue -Body $newIssue -Confirm:$false
    $late = @(Receive-JiraWebhook -Listener $listener -Count 1 -TimeoutSec 5 -ErrorAction SilentlyContinue)
    if ($late.Count -ne 0) { throw "The disabled rule still delivered $($issue.key)." }
    Write-Host "  Created $($issue.key); deliveries within 5 s: $($late.Count)"
    Show-Command 'Get-JiraAutomationRule -Uri $listener.Url'
    Get-JiraAutomationRule -Session $session -Uri $listener.Url | Format-Table | Out-Host
    Write-Host '  The rule''s audit log:'
    (Wait-EmulatorAudit $cloud -Count 2) | Format-Table ruleName, issueKey, status, httpStatus, message -AutoSize | Out-Host
    $listener | Stop-JiraWebhookListener

    Show-Step 'Sessions side by side'
    Show-Command 'Get-JiraSession'
    Get-JiraSession | Format-Table | Out-Host

    Show-Step 'OAuth 2.0 (3LO): register the app (the emulator stands in for the developer console)'
    # In real use: developer.atlassian.com/console/myapps, OAuth 2.0 integration, callback URL, Jira scopes, then
    # $app = Get-Credential <client id>   (password = the client secret)
    $app = Register-EmulatorOAuthApp $cloud
    Write-Host "  Client ID    : $($app.ClientId)"
    Write-Host "  Callback URL : $($app.RedirectUri)"
    $engine = if (Test-Path '/usr/bin/chromium') { 'chromium' } else { 'http' }
    # The consent is clicked by a headless browser: Invoke-JiraOAuthConsent opens whatever BROWSER names.
    $savedBrowser = $env:BROWSER
    $env:BROWSER = Get-ConsentBrowserCommand -Engine $engine -User limited@example.com -Password (Get-TestSecret LimitedPassword)
    Write-Host "  Consent is given by: headless $engine as Lee Limited (limited@example.com)"

    Show-Step 'Grant consent in the browser and receive the tokens on the loopback listener'
    Show-Command "`$token = Invoke-JiraOAuthConsent -ClientCredential `$app -RedirectUri $($app.RedirectUri) -Scope read:jira-work, read:jira-user, offline_access"
    $token = Invoke-JiraOAuthConsent -ClientCredential $app.Credential -RedirectUri $app.RedirectUri -Scope read:jira-work, read:jira-user, offline_access -Environment $cloud.Url
    $token | Format-List ClientId, Scopes, ExpiresAt, HasRefreshToken, CanRefresh, AccessToken | Out-Host

    Show-Step 'Which sites did the user grant? (the connector guide''s test call)'
    Show-Command 'Get-JiraAccessibleResource -Token $token'
    Get-JiraAccessibleResource -Token $token | Format-Table | Out-Host

    Show-Step 'Call Jira as that user through the API gateway'
    Show-Command 'Connect-JiraSite -OAuthToken $token -Url <site>'
    $null = Connect-JiraSite -OAuthToken $token -Url $cloud.Url -Name oauth
    Get-JiraSession -Name oauth | Format-List Name, AuthenticationType, User, CloudId, ApiBaseUrl, Scopes, TokenExpiresAt | Out-Host
    Show-Command 'Get-JiraProject -Session oauth   # only what Lee Limited may see'
    Get-JiraProject -Session oauth | Format-Table | Out-Host

    Show-Step 'The connector form for the integration platform'
    Show-Command 'Get-JiraConnectorSetting -Session oauth'
    Get-JiraConnectorSetting -Session oauth | Format-Table Field, Value -AutoSize | Out-Host

    Show-Step 'What a declined consent looks like'
    $env:BROWSER = Get-ConsentBrowserCommand -Engine $engine -Action decline
    try { $null = Invoke-JiraOAuthConsent -ClientCredential $app.Credential -RedirectUri $app.RedirectUri -Scope read:jira-work -Environment $cloud.Url -ErrorAction Stop }
    catch { Show-Error $_ }
    $env:BROWSER = $savedBrowser

    Show-Step 'Service account: OAuth 2.0 client credentials (machine to machine, no person''s token)'
    # In real use: Atlassian Administration, Directory, Service accounts, Create credentials, OAuth 2.0; then
    # $svc = Get-Credential <client id>   (password = the client secret)
    $svc = Get-ServiceClientCredential
    Show-Command "Connect-JiraSite -Url $($cloud.Url) -ClientCredential `$svc -Name svc   # -Environment points at the emulator here"
    $null = Connect-JiraSite -Url $cloud.Url -ClientCredential $svc -Environment $cloud.Url -Name svc
    Get-JiraSession -Name svc | Format-List Name, AuthenticationType, User, CloudId, ApiBaseUrl, TokenExpiresAt | Out-Host
    (Get-JiraSession -Name svc).ClientCredential | Format-List ClientId, TokenUrl, HasRefreshToken | Out-Host
    Show-Command 'Get-JiraProject -Session svc   # only the projects the service account was given'
    Get-JiraProject -Session svc | Format-Table | Out-Host

    Show-Step 'Service account: a scoped API token, given only the site URL'
    # In real use: $scoped = Get-Credential <service account email>   (password = the scoped API token)
    $scoped = New-TestCredential (Get-EmulatorServiceAccount).Email (Get-TestSecret ServiceScopedToken)
    Show-Command "Connect-JiraSite -Url $($cloud.Url) -Credential `$scoped -Name scoped   # no -CloudId"
    $null = Connect-JiraSite -Url $cloud.Url -Credential $scoped -ApiGatewayUrl $cloud.Url -Name scoped
    Get-JiraSession -Name scoped | Format-List Name, AuthenticationType, User, CloudId, ApiBaseUrl, Note | Out-Host
    Show-Command 'Get-JiraProject -Session scoped'
    Get-JiraProject -Session scoped | Format-Table | Out-Host

    Show-Step 'Before it bites: a credential that expires in 10 days'
    Show-Command "Connect-JiraSite -Url $($cloud.Url) -Credential `$cred -TokenExpiresAt (Get-Date).AddDays(10) -Name expiring"
    $null = Connect-JiraSite -Url $cloud.Url -Credential $cred -TokenExpiresAt (Get-Date).AddDays(10) -Name expiring
    Show-Command 'Test-JiraConnection -Session expiring -SkipProjectAccess'
    $checks = Test-JiraConnection -Session expiring -SkipProjectAccess
    $checks | Format-Table -Wrap | Out-String -Width 160 | Out-Host
    $expiry = $checks | Where-Object Name -EQ CredentialExpiry
    if ($expiry.Status -ne 'Warn') { throw "The CredentialExpiry check said $($expiry.Status), not Warn, for a token that expires in 10 days." }
    $expiry | Format-List Name, Status, Detail, Remedy | Out-Host

    Show-Step 'Organization admins: every API token of the organization with its expiry and last use'
    # In real use: $orgKey = Get-Secret AtlassianOrgApiKey   (Atlassian Administration, Settings, API keys; scope read:tokens:admin)
    $orgKey = Get-OrgAdminApiKey
    $org = Get-EmulatorOrganizationId
    Show-Command "Get-JiraApiTokenExpiry -OrganizationId $org -AdminApiKey `$orgKey"
    $tokens = @(Get-JiraApiTokenExpiry -OrganizationId $org -AdminApiKey $orgKey -Environment $cloud.Url)
    $tokens | Format-Table | Out-String -Width 160 | Out-Host
    Show-Command "Get-JiraApiTokenExpiry -OrganizationId $org -AdminApiKey `$orgKey -ExpiringWithinDays 30 | ForEach-Object { Write-Warning ... }   # a scheduled runbook"
    Get-JiraApiTokenExpiry -OrganizationId $org -AdminApiKey $orgKey -Environment $cloud.Url -ExpiringWithinDays 30 | ForEach-Object {
        if ($_.Expired) { Write-Warning "$($_.UserEmail): API token '$($_.Label)' expired on $($_.ExpiresAt.ToString('yyyy-MM-dd'))" }
        else { Write-Warning "$($_.UserEmail): API token '$($_.Label)' expires in $($_.DaysLeft) days" }
    }
    Write-Host "  Tokens listed: $($tokens.Count), of which expired: $(@($tokens | Where-Object Expired).Count)"

    Show-Step 'Disconnect'
    Show-Command 'Get-JiraSession | Disconnect-JiraSite'
    Get-JiraSession | Disconnect-JiraSite
    Write-Host "  Open sessions: $(@(Get-JiraSession).Count)"
    Write-Host ''
    Write-Host 'Demo complete.' -ForegroundColor Green
}
finally {
    $cloud, $dc | Stop-JiraEmulator
}
