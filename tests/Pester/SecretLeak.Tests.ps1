BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Cloud = Start-JiraEmulator -Flavor cloud -Projects 120
    $script:DataCenter = Start-JiraEmulator -Flavor datacenter -Projects 10
    # OAuth: an app with a loopback callback, short-lived access tokens so that every call refreshes and rotates.
    $script:App = Register-EmulatorOAuthApp $script:Cloud
    $null = Set-EmulatorOAuthSetting $script:Cloud -AccessTokenLifetimeSeconds 120
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ("jiraconnect-leak-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $script:Work

    # Every scenario runs in a fresh pwsh with -Verbose -Debug under a transcript; everything it can show is dumped.
    $scenario = @'
param($ModulePath, $CloudUrl, $DcUrl, $Transcript, $Dump, $SecretsFile, $ClientId, $RedirectUri, $CachePath, $PageFile, $OrgId)
$secrets = Get-Content $SecretsFile -Raw | ConvertFrom-Json
Remove-Item $SecretsFile
$ErrorActionPreference = 'Continue'
$VerbosePreference = 'Continue'
$DebugPreference = 'Continue'
$InformationPreference = 'Continue'
Start-Transcript -Path $Transcript -IncludeInvocationHeader | Out-Null
Import-Module $ModulePath
function Cred($user, $secret) { [pscredential]::new($user, (ConvertTo-SecureString $secret -AsPlainText -Force)) }
$objects = [System.Collections.Generic.List[object]]::new()
$objects.Add((Connect-JiraSite -Url $CloudUrl -Credential (Cred 'admin@example.com' $secrets.CloudAdminToken) -Name cloud -Verbose -Debug))
$objects.Add((Connect-JiraSite -Url $DcUrl -Credential (Cred 'admin' $secrets.AdminPassword) -Name dc -Verbose -Debug))
$objects.Add((Connect-JiraSite -Url $DcUrl -PersonalAccessToken (ConvertTo-SecureString $secrets.DataCenterAdminPat -AsPlainText -Force) -Name pat -Verbose -Debug))
Get-JiraProject -Session cloud -Verbose -Debug | Select-Object -First 3 | ForEach-Object { $objects.Add($_) }
Get-JiraProject -Session pat -Verbose -Debug -First 2 | ForEach-Object { $objects.Add($_) }
Invoke-JiraRestMethod myself -Session cloud -Verbose -Debug | ForEach-Object { $objects.Add($_) }
Invoke-JiraRestMethod -Method POST issue -Session cloud -Body @{ fields = @{ summary = 'x'; password = $secrets.AdminPassword } } -Confirm:$false -Verbose -Debug -WhatIf
Invoke-JiraRestMethod "myself?token=$($secrets.CloudAdminToken)" -Session cloud -Verbose -Debug -ErrorAction Continue
Connect-JiraSite -Url $CloudUrl -Credential (Cred 'admin@example.com' $secrets.WrongToken) -Verbose -Debug -ErrorAction Continue
Connect-JiraSite -Url $CloudUrl -Credential (Cred 'admin@example.com' $secrets.AdminPassword) -Verbose -Debug -ErrorAction Continue
Connect-JiraSite -Url $CloudUrl -Credential (Cred 'captcha@example.com' $secrets.CloudCaptchaToken) -Verbose -Debug -ErrorAction Continue
Connect-JiraSite -Url 'http://jira.example.com' -Credential (Cred 'admin@example.com' $secrets.CloudAdminToken) -Verbose -Debug -ErrorAction Continue
Connect-JiraSite -Url $DcUrl -PersonalAccessToken (ConvertTo-SecureString $secrets.WrongToken -AsPlainText -Force) -Verbose -Debug -ErrorAction Continue
# OAuth 2.0 (3LO): consent through the loopback listener, a token cache, refreshes, the gateway, and the failures.
$app = [pscredential]::new($ClientId, (ConvertTo-SecureString $secrets.OAuthClientSecret -AsPlainText -Force))
$BrowserCommand = $secrets.BrowserCommand
$env:BROWSER = "$BrowserCommand --result `"$PageFile`""
$token = Invoke-JiraOAuthConsent -ClientCredential $app -RedirectUri $RedirectUri -Scope read:jira-work, read:jira-user, offline_access -Environment $CloudUrl -TokenCachePath $CachePath -TimeoutSec 60 -Verbose -Debug
$objects.Add($token)
Get-JiraAccessibleResource -Token $token -Verbose -Debug | ForEach-Object { $objects.Add($_) }
$objects.Add((Connect-JiraSite -OAuthToken $token -Name oauth -Verbose -Debug))
Get-JiraProject -Session oauth -First 2 -Verbose -Debug | ForEach-Object { $objects.Add($_) }
Invoke-JiraRestMethod myself -Session oauth -Verbose -Debug | ForEach-Object { $objects.Add($_) }
Get-JiraConnectorSetting -Session oauth -Verbose | ForEach-Object { $objects.Add($_) }
$objects.Add((Connect-JiraSite -CloudId 3f1c9a2e-6b7d-4e58-9c0a-1d2e3f4a5b6c -ApiGatewayUrl $CloudUrl -Credential (Cred 'admin@example.com' $secrets.ScopedAdminToken) -Name scoped -Verbose -Debug))
# Service accounts: OAuth 2.0 client credentials (tokens renewed every call with the short lifetime), scoped tokens given only -Url.
$svc = Cred 'emuSvcClient4Jk8Pw2Nq6Ts' $secrets.ServiceClientSecret
$objects.Add((Connect-JiraSite -Url $CloudUrl -ClientCredential $svc -Environment $CloudUrl -Name svc -TokenExpiresAt (Get-Date).AddDays(10) -Verbose -Debug))
$objects.Add((Get-JiraSession -Name svc).ClientCredential)
Get-JiraProject -Session svc -First 2 -Verbose -Debug | ForEach-Object { $objects.Add($_) }
Invoke-JiraRestMethod myself -Session svc -Verbose -Debug | ForEach-Object { $objects.Add($_) }
Test-JiraConnection -Session svc -SkipProjectAccess -Verbose -Debug | ForEach-Object { $objects.Add($_) }
Get-JiraConnectorSetting -Session svc -Verbose -ErrorAction Continue | ForEach-Object { $objects.Add($_) }
Connect-JiraSite -Url $CloudUrl -ClientCredential (Cred 'emuSvcClient4Jk8Pw2Nq6Ts' $secrets.WrongToken) -Environment $CloudUrl -Verbose -Debug -ErrorAction Continue
$objects.Add((Connect-JiraSite -Url $CloudUrl -Credential (Cred 'jira-sync-emu@serviceaccount.atlassian.com' $secrets.ServiceScopedToken) -ApiGatewayUrl $CloudUrl -Name svcscoped -Verbose -Debug))
$objects.Add((Connect-JiraSite -Url $CloudUrl -Credential (Cred 'jira-sync-emu@serviceaccount.atlassian.com' $secrets.ServiceScopedNoWork) -ApiGatewayUrl $CloudUrl -Name svcnowork -Verbose -Debug))
Get-JiraProject -Session svcnowork -Verbose -Debug -ErrorAction Continue
# The organization admin API: every page of the token list with the org API key, then a refused key, a key without the scope and an unknown organization.
$orgKey = ConvertTo-SecureString $secrets.OrgAdminApiKey -AsPlainText -Force
Get-JiraApiTokenExpiry -OrganizationId $OrgId -AdminApiKey $orgKey -Environment $CloudUrl -Verbose -Debug | ForEach-Object { $objects.Add($_) }
Get-JiraApiTokenExpiry -OrganizationId $OrgId -AdminApiKey $orgKey -Environment $CloudUrl -Email 'admin@example.com' -ExpiringWithinDays 30 -Verbose -Debug | ForEach-Object { $objects.Add($_) }
Get-JiraApiTokenExpiry -OrganizationId $OrgId -AdminApiKey (ConvertTo-SecureString $secrets.WrongToken -AsPlainText -Force) -Environment $CloudUrl -Verbose -Debug -ErrorAction Continue
Get-JiraApiTokenExpiry -OrganizationId $OrgId -AdminApiKey (ConvertTo-SecureString $secrets.OrgKeyWithoutScope -AsPlainText -Force) -Environment $CloudUrl -Verbose -Debug -ErrorAction Continue
Get-JiraApiTokenExpiry -OrganizationId 'no-such-org' -AdminApiKey $orgKey -Environment $CloudUrl -Verbose -Debug -ErrorAction Continue
$request = Invoke-JiraOAuthConsent -ClientCredential $app -RedirectUri $RedirectUri -Scope read:jira-work -Environment $CloudUrl -AuthorizationUrlOnly
$objects.Add($request)
Invoke-JiraOAuthConsent -ClientCredential (Cred $ClientId $secrets.WrongToken) -AuthorizationRequest $request -AuthorizationResponse "$($RedirectUri)?code=c0de-guess-1234&state=$($request.State)" -Verbose -Debug -ErrorAction Continue
$env:BROWSER = "$BrowserCommand --action decline"
Invoke-JiraOAuthConsent -ClientCredential $app -RedirectUri $RedirectUri -Scope read:jira-work -Environment $CloudUrl -TimeoutSec 60 -Verbose -Debug -ErrorAction Continue
Invoke-JiraOAuthConsent -ClientCredential $app -RedirectUri $RedirectUri -Scope read:jira-work -Environment $CloudUrl -NoBrowser -ErrorAction Continue
$listenerToken = ConvertTo-SecureString $secrets.ListenerToken -AsPlainText -Force
$hubSecret = ConvertTo-SecureString $secrets.WebhookSecret -AsPlainText -Force
$apiKey = ConvertTo-SecureString $secrets.WebhookSecret -AsPlainText -Force
$listener = Start-JiraWebhookListener -Token $listenerToken -Secret $hubSecret -Verbose -Debug
$objects.Add($listener)
$objects.Add((Send-JiraTestWebhook -Uri $listener.Url -Credential (Cred 'listener' $secrets.ListenerToken) -Secret $hubSecret -Body SystemWebhook -Header @{ 'X-Api-Key' = $apiKey } -Verbose -Debug))
$objects.Add((Send-JiraTestWebhook -Uri $listener.Url -Token (ConvertTo-SecureString $secrets.WrongToken -AsPlainText -Force) -Verbose -Debug))
$objects.Add((Send-JiraTestWebhook -Uri $listener.Url -Token $listenerToken -Secret $hubSecret -Body SystemWebhook -Count 5 -Verbose -Debug))
Send-JiraTestWebhook -Uri $listener.Url -Token $listenerToken -Header @{ 'X-Api-Key' = $apiKey } -WhatIf -Verbose -Debug
Send-JiraTestWebhook -Uri 'http://listener.example.com/hooks' -Token $listenerToken -Verbose -Debug -ErrorAction Continue
Receive-JiraWebhook -Listener $listener -All | ForEach-Object { $objects.Add($_) }
$objects.Add((New-JiraWebhookPayload -Format SystemWebhook))
$listener | Stop-JiraWebhookListener -Verbose
# Project access audit and connection checks, with the emulator's listener and its token.
$emulatorListenerToken = ConvertTo-SecureString $secrets.EmulatorListenerToken -AsPlainText -Force
$wrongListenerToken = ConvertTo-SecureString $secrets.WrongToken -AsPlainText -Force
Test-JiraConnection -Session cloud -ProjectKey DEV, HR -ListenerUrl "$CloudUrl/listener" -ListenerToken $emulatorListenerToken -Verbose -Debug | ForEach-Object { $objects.Add($_) }
Test-JiraConnection -Url $CloudUrl -Credential (Cred 'admin@example.com' $secrets.WrongToken) -ListenerUrl "$CloudUrl/listener" -ListenerToken $wrongListenerToken -Verbose -Debug | ForEach-Object { $objects.Add($_) }
Test-JiraConnection -Session cloud -SkipProjectAccess -ListenerUrl 'http://listener.example.com/jira' -ListenerToken $emulatorListenerToken -Verbose -Debug | ForEach-Object { $objects.Add($_) }
Test-JiraProjectAccess -Session cloud -ProjectKey DEV, HR, NOPE -Verbose -Debug -ErrorAction Continue | ForEach-Object { $objects.Add($_) }
Test-JiraProjectAccess -Session pat -Verbose -Debug | Select-Object -First 3 | ForEach-Object { $objects.Add($_) }
Test-JiraProjectAccess -Session cloud -ProjectKey HR -Verbose -Debug | Add-JiraProjectRoleActor -Session cloud -WhatIf -Verbose -Debug
Add-JiraProjectRoleActor -Session cloud -ProjectKey MKT -Group integration-admins -Verbose -Debug | ForEach-Object { $objects.Add($_) }
# Automation rules: every rule cmdlet, with the listener token, a rotated token and a hidden custom header.
$ruleObjects = [System.Collections.Generic.List[object]]::new()
# -Debug makes a warning ask to continue in a non-interactive process: warnings are written and the scenario goes on.
$PSDefaultParameterValues['*:WarningAction'] = 'Continue'
$ruleListener = Start-JiraWebhookListener -Token $listenerToken -Verbose -Debug
$hiddenHeader = ConvertTo-SecureString $secrets.RuleHiddenHeader -AsPlainText -Force
$rotatedToken = ConvertTo-SecureString $secrets.RotatedListenerToken -AsPlainText -Force
$feed = @{ Session = 'cloud'; Name = 'Leak feed'; ProjectKey = 'IT'; Uri = $ruleListener.Url; Token = $listenerToken; Header = @{ 'X-Api-Key' = $hiddenHeader } }
New-JiraWebhookRule @feed -Enable -WhatIf -Verbose -Debug
$ruleObjects.Add((New-JiraWebhookRule @feed -Enable -Verbose -Debug))
$ruleObjects.Add((New-JiraWebhookRule @feed -Enable -Verbose -Debug))
$ruleObjects.Add((New-JiraWebhookRule -Session cloud -Name 'Leak credential' -SiteWide -Uri $ruleListener.Url -Credential (Cred 'listener' $secrets.ListenerToken) -Body Custom -CustomData '{"key":"{{issue.key}}"}' -Verbose -Debug))
$null = Invoke-JiraRestMethod -Method POST issue -Session cloud -Body @{ fields = @{ project = @{ key = 'IT' }; summary = 'Leak check'; issuetype = @{ name = 'Task' } } }
Receive-JiraWebhook -Listener $ruleListener -Count 1 -TimeoutSec 30 | ForEach-Object { $ruleObjects.Add($_) }
Get-JiraAutomationRule -Session cloud -Verbose -Debug | ForEach-Object { $ruleObjects.Add($_) }
$detailed = @(Get-JiraAutomationRule -Session cloud -Detailed -Verbose -Debug)
$detailed | ForEach-Object { $ruleObjects.Add($_) }
$feedRule = $detailed | Where-Object Name -EQ 'Leak feed'
$feedRule | Set-JiraAutomationRule -Session cloud -Verbose -Debug -WarningAction Continue | ForEach-Object { $ruleObjects.Add($_) }
$feedRule.Json | New-JiraAutomationRule -Session cloud -WhatIf -Verbose -Debug -WarningAction Continue
$copy = $feedRule.Json | ConvertFrom-Json
$copy.rule.name = 'Leak copy'
$copy.rule.components[0].value.headers | Where-Object name -EQ 'X-Api-Key' | ForEach-Object { $_.value = $secrets.RuleHiddenHeader }
$copyJson = $copy | ConvertTo-Json -Depth 30
$copyJson | New-JiraAutomationRule -Session cloud -Enable -Verbose -Debug -WarningAction Continue | ForEach-Object { $ruleObjects.Add($_) }
# A refused write that carries the hidden values: the rule without a required member.
$copy.rule.PSObject.Properties.Remove('writeAccessType')
$copy | ConvertTo-Json -Depth 30 | New-JiraAutomationRule -Session cloud -Verbose -Debug -ErrorAction Continue
Get-JiraAutomationRule -Session cloud -Uri $ruleListener.Url | Set-JiraWebhookRuleToken -Session cloud -Token $rotatedToken -WhatIf -Verbose -Debug
Get-JiraAutomationRule -Session cloud -Uri $ruleListener.Url | Set-JiraWebhookRuleToken -Session cloud -Token $rotatedToken -Verify -Verbose -Debug | ForEach-Object { $ruleObjects.Add($_) }
Set-JiraWebhookRuleToken -Session cloud -Uri $ruleListener.Url -Credential (Cred 'listener' $secrets.ListenerToken) -Verbose -Debug | ForEach-Object { $ruleObjects.Add($_) }
Get-JiraAutomationRule -Session cloud -Name 'Leak*' | Disable-JiraAutomationRule -Session cloud -Verbose -Debug | ForEach-Object { $ruleObjects.Add($_) }
Get-JiraAutomationRule -Session cloud -Name 'Leak feed' | Enable-JiraAutomationRule -Session cloud -Verbose -Debug | ForEach-Object { $ruleObjects.Add($_) }
Get-JiraAutomationRule -Session cloud -Name 'Leak*' | Remove-JiraAutomationRule -Session cloud -WhatIf -Verbose -Debug
Get-JiraAutomationRule -Session cloud -Name 'Leak*' | Remove-JiraAutomationRule -Session cloud -Confirm:$false -Verbose -Debug | ForEach-Object { $ruleObjects.Add($_) }
# Sessions the rule API refuses, and Data Center's manual steps.
New-JiraWebhookRule -Session oauth -Name 'Leak oauth' -SiteWide -Uri $ruleListener.Url -Token $listenerToken -Verbose -Debug -ErrorAction Continue
Get-JiraAutomationRule -Session scoped -Verbose -Debug -ErrorAction Continue
New-JiraWebhookRule -Session dc -Name 'Leak dc' -ProjectKey DEV -Uri $ruleListener.Url -Token $listenerToken -Verbose -Debug -ErrorAction Continue
Set-JiraWebhookRuleToken -Session pat -Uri $ruleListener.Url -Token $rotatedToken -Verbose -Debug -ErrorAction Continue
$ruleListener | Stop-JiraWebhookListener
$ruleObjects | ForEach-Object { $objects.Add($_) }
$ruleObjects | ConvertTo-Json -Depth 8 | Write-Output
$objects | Format-Table | Out-String | Write-Output
$objects | Format-List * | Out-String | Write-Output
Get-JiraSession | Format-List * -Force | Out-String | Write-Output
Stop-Transcript | Out-Null
$text = [System.Text.StringBuilder]::new()
foreach ($o in $objects) { $null = $text.AppendLine("$o").AppendLine(($o | Format-List * -Force | Out-String)) }
$null = $text.AppendLine(($ruleObjects | ConvertTo-Json -Depth 8))
foreach ($e in $Error) {
    $null = $text.AppendLine(($e | Format-List * -Force | Out-String))
    if ($e -is [System.Management.Automation.ErrorRecord]) {
        $null = $text.AppendLine($e.Exception.ToString()).AppendLine("$($e.ErrorDetails)").AppendLine(($e.Exception | Format-List * -Force | Out-String))
    }
}
$null = $text.AppendLine("ERRORCOUNT=$($Error.Count)")
Set-Content -Path $Dump -Value $text.ToString()
'@
    $scriptFile = Join-Path $script:Work 'scenario.ps1'
    Set-Content -Path $scriptFile -Value $scenario
    $script:Transcript = Join-Path $script:Work 'transcript.txt'
    $script:Dump = Join-Path $script:Work 'dump.txt'
    $secrets = Get-TestSecret
    $secrets['OAuthClientSecret'] = $script:App.ClientSecret
    # The automation rule scenarios: a hidden custom header of a rule and the token a rotation puts in place.
    $secrets['RuleHiddenHeader'] = 'hdr-rule-hidden-Vb6Np3Xs8Qk'
    $secrets['RotatedListenerToken'] = 'mw-listener-rotated-Tz4Lc9Wm2Hy'
    $script:CacheFolder = Join-Path $script:Work 'cache'
    $script:CachePath = Join-Path $script:CacheFolder 'leak.json'
    $script:PageFile = Join-Path $script:Work 'callback-page.json'
    # Secrets reach the child through a file it deletes at once, never its command line (which a transcript header shows).
    $secretsFile = Join-Path $script:Work 'secrets.json'
    # The consent tool's command line holds the emulator user's password: it travels in the same file.
    $forChild = [ordered]@{} + $secrets
    $forChild['BrowserCommand'] = Get-ConsentBrowserCommand
    $forChild | ConvertTo-Json -Compress | Set-Content -Path $secretsFile
    $script:Output = (Invoke-FreshPwsh -TimeoutSec 600 -File $scriptFile -Parameters ([ordered]@{
                ModulePath = (Get-JiraConnectModulePath); CloudUrl = $script:Cloud.Url; DcUrl = $script:DataCenter.Url
                Transcript = $script:Transcript; Dump = $script:Dump; SecretsFile = $secretsFile
                ClientId = $script:App.ClientId; RedirectUri = $script:App.RedirectUri
                CachePath = $script:CachePath; PageFile = $script:PageFile; OrgId = (Get-EmulatorOrganizationId)
            })).Output
    $script:TranscriptText = Get-Content $script:Transcript -Raw
    $script:DumpText = Get-Content $script:Dump -Raw
    $script:PageText = Get-Content $script:PageFile -Raw
    # Everything next to the cache file: leftovers of atomic writes, the lock file.
    $script:NeighbourText = (Get-ChildItem $script:CacheFolder -Force -File | Where-Object FullName -NE $script:CachePath | ForEach-Object { Get-Content $_.FullName -Raw }) -join "`n"
    $script:NeighbourText += "files: " + ((Get-ChildItem $script:CacheFolder -Force -File).Name -join ', ')
    # Every code, access token and refresh token the emulator issued during the scenario.
    $script:Issued = @(Get-EmulatorIssuedSecret $script:Cloud)

    # The plain secrets and the encoded forms a careless log would show.
    $script:Forbidden = @($secrets.Values) + @($script:Issued.value) + @(
        [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("admin@example.com:$($secrets.CloudAdminToken)"))
        [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("admin:$($secrets.AdminPassword)"))
        [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("admin@example.com:$($secrets.WrongToken)"))
        [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("jira-sync-emu@serviceaccount.atlassian.com:$($secrets.ServiceScopedToken)"))
        [Uri]::EscapeDataString($secrets.ServiceClientSecret)
        "Bearer $($secrets.OrgAdminApiKey)"
    )
}

AfterAll {
    $script:Cloud, $script:DataCenter | Stop-JiraEmulator
    Remove-Item $script:Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Secrets never leak' {
    It 'the scenarios ran and produced verbose, debug and error output' {
        $script:TranscriptText | Should -Match 'VERBOSE: GET http://127\.0\.0\.1:\d+/rest/api/3/myself → 200'
        $script:TranscriptText | Should -Match 'DEBUG: Response body:'
        $script:TranscriptText | Should -Match 'AuthenticatedAsAnonymous|answered as an anonymous user'
        $script:TranscriptText | Should -Match 'Ada Admin'
        $script:DumpText | Should -Match 'ApiTokenRequired'
        $script:DumpText | Should -Match 'CaptchaRequired'
        $script:DumpText | Should -Match 'UnencryptedAuthenticationRefused'
        $script:TranscriptText | Should -Match 'VERBOSE: POST http://127\.0\.0\.1:\d+/ → 200'
        $script:TranscriptText | Should -Match 'What if: .*Authorization: Bearer \*\*\*'
        $script:DumpText | Should -Match 'ListenerDelivery: Pass'
        $script:DumpText | Should -Match 'ListenerDelivery: Fail'
        $script:DumpText | Should -Match 'HR: The account lacks EDIT_ISSUES'
        $script:TranscriptText | Should -Match 'VERBOSE: POST http://127\.0\.0\.1:\d+/rest/api/3/permissions/check'
        $script:DumpText | Should -Match 'ERRORCOUNT=([5-9]|\d\d)'
    }

    It 'the automation rule scenarios ran: every rule cmdlet, deliveries, rotation, refusals and the JSON output' {
        $script:TranscriptText | Should -Match "(?s)What if: Create the automation rule 'Leak feed' and enable it:.*?jira\.issue\.outgoing\.webhook"
        $script:TranscriptText | Should -Match 'VERBOSE: POST http://127\.0\.0\.1:\d+/automation/public/jira/[^/]+/rest/v1/rule → 201'
        $script:TranscriptText | Should -Match 'VERBOSE: PUT http://127\.0\.0\.1:\d+/automation/public/jira/[^/]+/rest/v1/rule/[^/ ]+ → 200'
        $script:TranscriptText | Should -Match 'VERBOSE: DELETE http://127\.0\.0\.1:\d+/automation/public/jira/[^/]+/rest/v1/rule/[^/ ]+ → 204'
        $script:DumpText | Should -Match 'Action\s+: Created'
        $script:DumpText | Should -Match 'Action\s+: Unchanged'
        $script:DumpText | Should -Match 'Action\s+: TokenReplaced'
        $script:DumpText | Should -Match 'Action\s+: Disabled'
        $script:DumpText | Should -Match 'Action\s+: Removed'
        $script:DumpText | Should -Match 'Verified\s+: False'
        $script:DumpText | Should -Match 'TokenValid\s+: True'
        $script:DumpText | Should -Match 'IsDetailed\s+: True'
        $script:DumpText | Should -Match 'AutomationApiTokenRequired'
        $script:DumpText | Should -Match 'AutomationRuleApiUnavailable'
        $script:DumpText | Should -Match 'AutomationRuleInvalid'
        $script:Output | Should -Match '"TokenValid": true'
        $script:Output | Should -Match '"WebRequestUrls"'
    }

    It 'no secret appears in the <Name>' -ForEach @(
        @{ Name = 'transcript'; Variable = 'TranscriptText' }
        @{ Name = 'error records, exceptions, objects and views'; Variable = 'DumpText' }
        @{ Name = 'process output'; Variable = 'Output' }
        @{ Name = 'browser-facing callback page'; Variable = 'PageText' }
        @{ Name = 'files next to the token cache'; Variable = 'NeighbourText' }
    ) {
        $text = Get-Variable -Scope Script -Name $Variable -ValueOnly
        $text | Should -Not -BeNullOrEmpty
        foreach ($secret in $script:Forbidden) {
            $text.Contains($secret) | Should -BeFalse -Because "'$($secret.Substring(0, 6))…' must never be shown"
        }
    }

    It 'the OAuth scenarios ran: consent, refreshes, gateway calls and the expected failures' {
        ($script:Issued | Where-Object kind -EQ 'code').Count | Should -BeGreaterOrEqual 1
        ($script:Issued | Where-Object kind -EQ 'refresh_token').Count | Should -BeGreaterThan 3
        $script:TranscriptText | Should -Match 'DEBUG: Request body: \{"grant_type":"refresh_token","client_id":"[^"]+","client_secret":"\*\*\*","refresh_token":"\*\*\*"\}'
        $script:TranscriptText | Should -Match '/ex/jira/3f1c9a2e-6b7d-4e58-9c0a-1d2e3f4a5b6c/rest/api/3/myself → 200'
        $script:DumpText | Should -Match 'OAuthClientAuthenticationFailed'
        $script:DumpText | Should -Match 'OAuthAccessDenied'
        $script:DumpText | Should -Match 'OAuthInteractionRequired'
        $script:PageText | Should -Match 'You may close this tab'
        (Get-Item $script:CachePath).UnixMode | Should -Be '-rw-------'
        (Get-Item $script:CacheFolder).UnixMode | Should -Be 'drwx------'
    }

    It 'the service account scenarios ran: client credentials tokens, their failures and scoped tokens through the gateway' {
        $script:TranscriptText | Should -Match 'DEBUG: Request body: grant_type=client_credentials&client_id=emuSvcClient4Jk8Pw2Nq6Ts&client_secret=\*\*\*'
        $script:TranscriptText | Should -Match 'Obtained an access token for client emuSvcClient4Jk8Pw2Nq6Ts'
        $script:DumpText | Should -Match 'ClientCredentialRejected'
        $script:DumpText | Should -Match 'GatewayScopeMissing'
        $script:DumpText | Should -Match 'CredentialExpiry: Warn - The client secret expires'
        $script:TranscriptText | Should -Match 'scoped API token through'
    }

    It 'the organization admin API scenarios ran: every page of the token list and the refused keys' {
        $script:TranscriptText | Should -Match 'VERBOSE: GET http://127\.0\.0\.1:\d+/admin/api-access/v1/orgs/[^/]+/api-tokens\?cursor=\S+ → 200'
        $script:DumpText | Should -Match 'Label\s+: Integration connector'
        $script:DumpText | Should -Match 'AdminApiKeyRejected'
        $script:DumpText | Should -Match 'AdminApiKeyScopeMissing'
        $script:DumpText | Should -Match 'OrganizationNotFound'
    }

    It 'redacts secrets in URLs and bodies shown by -Verbose and -Debug' {
        $script:TranscriptText | Should -Match 'myself\?token=\*\*\*'
        $script:TranscriptText | Should -Not -Match 'Authorization: Basic [A-Za-z0-9+/=]{8,}'
    }
}
