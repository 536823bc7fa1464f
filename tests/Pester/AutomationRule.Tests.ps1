BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-JiraConnectModulePath) -Force
    $script:Emu = Start-JiraEmulator -Flavor cloud -Projects 6
    $script:TokenText = Get-TestSecret ListenerToken
    $script:Token = ConvertTo-SecureString $script:TokenText -AsPlainText -Force
    $script:NewTokenText = 'mw-listener-rotated-N4bV8cX2'
    $script:NewToken = ConvertTo-SecureString $script:NewTokenText -AsPlainText -Force
    $script:RuleApi = '/automation/public/jira/'
    function Get-RuleApiRequest { @((Get-EmulatorRequest $script:Emu) | Where-Object { $_.path -like '*/automation/public/*' }) }
    function Get-RuleApiWrite { @(Get-RuleApiRequest | Where-Object { $_.method -ne 'GET' -and $_.path -notlike '*/rule/summary' }) }
    function Create-Issue { param([string] $ProjectKey = 'IT') Invoke-JiraRestMethod -Method POST issue -Body @{ fields = @{ project = @{ key = $ProjectKey }; summary = 'VPN down'; issuetype = @{ name = 'Task' } } } }
}

AfterAll {
    Get-JiraWebhookListener | Stop-JiraWebhookListener
    Get-JiraSession | Disconnect-JiraSite
    $script:Emu | Stop-JiraEmulator
}

Describe 'Webhook rules as code' {
    BeforeEach {
        Reset-JiraEmulator $script:Emu
        Get-JiraWebhookListener | Stop-JiraWebhookListener
        $script:Listener = Start-JiraWebhookListener -Token $script:Token -WarningAction SilentlyContinue
        $null = Connect-JiraSite -Url $script:Emu.Url -Credential (Get-CloudAdminCredential) -AllowUnencryptedAuthentication -WarningAction SilentlyContinue
    }

    It 'New-JiraWebhookRule then an issue create makes exactly one delivery with the token verified and the body New-JiraWebhookPayload builds' {
        $change = New-JiraWebhookRule -Name 'Integration: issue events' -ProjectKey IT -Trigger IssueCreated -Uri $script:Listener.Url -Token $script:Token -Body AutomationIssue -Enable
        $issue = Create-Issue
        $delivery = Receive-JiraWebhook -Listener $script:Listener -Count 1 -TimeoutSec 20
        $audit = Wait-EmulatorAudit $script:Emu -Count 1
        $expected = New-JiraWebhookPayload -Format AutomationIssue -IssueKey $issue.key

        $change.Action | Should -Be 'Created'
        $change.State | Should -Be 'ENABLED'
        $delivery.TokenValid | Should -BeTrue
        $delivery.Accepted | Should -BeTrue
        $delivery.Json.key | Should -Be $issue.key
        ($delivery.Json | ConvertTo-Json -Depth 20 -Compress) | Should -Be ($expected.Json | ConvertTo-Json -Depth 20 -Compress)
        $audit[0].ruleId | Should -Be $change.Uuid
        $audit[0].status | Should -Be 'SUCCESS'
        @(Receive-JiraWebhook -Listener $script:Listener).Count | Should -Be 0
    }

    It 'a second New-JiraWebhookRule with the same name and scope reports Unchanged, then Updated, and creates no duplicate' {
        $rule = @{ Name = 'Integration: issue events'; ProjectKey = 'IT'; Uri = $script:Listener.Url; Token = $script:Token; Body = 'AutomationIssue' }
        $first = New-JiraWebhookRule @rule
        $second = New-JiraWebhookRule @rule
        $third = New-JiraWebhookRule @rule -Body JiraIssue -Enable

        $first.Action | Should -Be 'Created'
        $first.State | Should -Be 'DISABLED'
        $second.Action | Should -Be 'Unchanged'
        $second.Uuid | Should -Be $first.Uuid
        $third.Action | Should -Be 'Updated'
        $third.Uuid | Should -Be $first.Uuid
        $third.State | Should -Be 'ENABLED'
        @(Get-JiraAutomationRule -Name 'Integration*').Count | Should -Be 1
    }

    It 'several triggers make one rule each, and Get-JiraAutomationRule finds them by URL, trigger, project and state' {
        $changes = New-JiraWebhookRule -Name 'Feed' -ProjectKey IT, HR -Trigger IssueCreated, IssueTransitioned -ToStatus Done -Uri $script:Listener.Url -Token $script:Token -Enable
        $null = New-JiraWebhookRule -Name 'Other' -SiteWide -Uri 'https://elsewhere.example.com/hook' -Token $script:Token

        $changes.Name | Should -Be 'Feed (IssueCreated)', 'Feed (IssueTransitioned)'
        $byUrl = @(Get-JiraAutomationRule -Uri $script:Listener.Url)
        $byUrl.Count | Should -Be 2
        $byUrl | ForEach-Object { $_.HasAuthorizationHeader | Should -BeTrue; $_.ProjectKeys | Sort-Object | Should -Be 'HR', 'IT' }
        (Get-JiraAutomationRule -Trigger IssueTransitioned).Name | Should -Be 'Feed (IssueTransitioned)'
        (Get-JiraAutomationRule -State Disabled).Name | Should -Be 'Other'
        @(Get-JiraAutomationRule -ProjectKey HR).Count | Should -Be 2
        (Get-JiraAutomationRule -Name 'oth*').IsSiteWide | Should -BeTrue
    }

    It 'Set-JiraWebhookRuleToken makes the old token fail and the new one succeed at the listener' {
        $null = New-JiraWebhookRule -Name 'Rotating' -ProjectKey IT -Uri $script:Listener.Url -Token $script:Token -Enable
        $rotated = Get-JiraAutomationRule -Uri $script:Listener.Url | Set-JiraWebhookRuleToken -Token $script:NewToken -Uri $script:Listener.Url
        $null = Create-Issue
        $withOld = Receive-JiraWebhook -Listener $script:Listener -Count 1 -TimeoutSec 20

        Get-JiraWebhookListener | Stop-JiraWebhookListener
        $script:Listener = Start-JiraWebhookListener -Token $script:NewToken -Port $script:Listener.Url.Port -WarningAction SilentlyContinue
        $null = Create-Issue
        $withNew = Receive-JiraWebhook -Listener $script:Listener -Count 1 -TimeoutSec 20
        $verified = Get-JiraAutomationRule -Uri $script:Listener.Url | Set-JiraWebhookRuleToken -Token $script:NewToken -Verify

        $rotated.Action | Should -Be 'TokenReplaced'
        $withOld.TokenValid | Should -BeFalse
        $withOld.Accepted | Should -BeFalse
        $withNew.TokenValid | Should -BeTrue
        $withNew.Accepted | Should -BeTrue
        $verified.Verified | Should -BeTrue
    }

    It 'Set-JiraWebhookRuleToken -Uri alone rotates every rule sending to that URL and no other' {
        $null = New-JiraWebhookRule -Name 'Feed A' -ProjectKey IT -Uri $script:Listener.Url -Token $script:Token
        $null = New-JiraWebhookRule -Name 'Feed B' -SiteWide -Uri $script:Listener.Url -Token $script:Token
        $other = New-JiraWebhookRule -Name 'Elsewhere' -ProjectKey IT -Uri 'https://elsewhere.example.com/hook' -Token $script:Token

        $rotated = @(Set-JiraWebhookRuleToken -Uri $script:Listener.Url -Token $script:NewToken)

        $rotated.Name | Sort-Object | Should -Be 'Feed A', 'Feed B'
        $rotated.Action | Should -Be 'TokenReplaced', 'TokenReplaced'
        $rotated.Uuid | Should -Not -Contain $other.Uuid
    }

    It 'a FieldValueChanged rule delivers on an edit of that field and not on an edit of another field' {
        $null = New-JiraWebhookRule -Name 'Labels feed' -ProjectKey DEV -Trigger FieldValueChanged -Field labels -Uri $script:Listener.Url -Token $script:Token -Body AutomationIssue -Enable
        $null = Create-Issue -ProjectKey DEV
        $null = Invoke-JiraRestMethod -Method PUT issue/DEV-1 -Body @{ fields = @{ summary = 'Renamed, not relabelled' } }
        $null = Invoke-JiraRestMethod -Method PUT issue/DEV-1 -Body @{ update = @{ labels = @(@{ add = 'escalated' }) } }
        $first = Receive-JiraWebhook -Listener $script:Listener -Count 1 -TimeoutSec 20
        $null = Invoke-JiraRestMethod -Method PUT issue/DEV-1 -Body @{ fields = @{ priority = @{ name = 'Lowest' } } }
        $null = Invoke-JiraRestMethod -Method PUT issue/DEV-1 -Body @{ update = @{ labels = @(@{ remove = 'escalated' }) } }
        $second = Receive-JiraWebhook -Listener $script:Listener -Count 1 -TimeoutSec 20
        $audit = Wait-EmulatorAudit $script:Emu -Count 2

        $first.TokenValid | Should -BeTrue
        $first.Json.key | Should -Be 'DEV-1'
        $first.Json.fields.labels | Should -Contain 'escalated'
        $first.Json.fields.summary | Should -Be 'Renamed, not relabelled'
        $second.Json.fields.labels | Should -Not -Contain 'escalated'
        $second.Json.fields.priority.name | Should -Be 'Lowest'
        # The issue creation, the summary and the priority edits fired nothing: two deliveries, both for the labels edits.
        @($audit).Count | Should -Be 2
        $audit.trigger | Should -Be 'field_value_changed', 'field_value_changed'
        @(Receive-JiraWebhook -Listener $script:Listener).Count | Should -Be 0
        @((Invoke-EmulatorAdmin $script:Emu 'automation/audit' -Method GET) | ForEach-Object { $_ }).Count | Should -Be 2
    }

    It 'an SlaThresholdBreached rule delivers when a breach is raised on a service-desk issue, shaped like the SlaBreached sample' {
        $issue = Create-Issue
        $null = New-JiraWebhookRule -Name 'SLA feed' -ProjectKey IT -Trigger SlaThresholdBreached -Uri $script:Listener.Url -Token $script:Token -Body JiraIssue -Enable
        $null = Create-Issue
        $breach = Invoke-EmulatorAdmin $script:Emu "issues/$($issue.key)/sla/breach" -Body @{ name = 'Time to resolution' }
        $delivery = Receive-JiraWebhook -Listener $script:Listener -Count 1 -TimeoutSec 20
        $audit = Wait-EmulatorAudit $script:Emu -Count 1
        $sample = New-JiraWebhookPayload -Body SlaBreached
        $notServiceDesk = Invoke-WebRequest -Method Post -Uri "$($script:Emu.Url)/_emulator/issues/DEV-1/sla/breach" -SkipHttpErrorCheck
        function Get-Name($o) { if ($o -is [System.Collections.IDictionary]) { @($o.Keys) } else { @($o.PSObject.Properties.Name) } }

        $breach.breached | Should -BeTrue
        $delivery.TokenValid | Should -BeTrue
        $delivery.Json.issue.key | Should -Be $issue.key
        $sla = $delivery.Json.issue.fields.($breach.field)
        $expected = $sample.Json.issue.fields.customfield_10030
        $breach.field | Should -Be 'customfield_10030'
        $sla.name | Should -Be 'Time to resolution'
        $sla.ongoingCycle.breached | Should -BeTrue
        $sla.ongoingCycle.remainingTime.millis | Should -BeLessThan 0
        $expected.ongoingCycle.breached | Should -BeTrue
        Get-Name $sla | Should -Be (Get-Name $expected)
        Get-Name $sla.ongoingCycle | Should -Be (Get-Name $expected.ongoingCycle)
        Get-Name $sla.ongoingCycle.startTime | Should -Be (Get-Name $expected.ongoingCycle.startTime)
        Get-Name $sla.ongoingCycle.goalDuration | Should -Be (Get-Name $expected.ongoingCycle.goalDuration)
        @($audit).Count | Should -Be 1
        $audit[0].trigger | Should -Be 'sla_threshold_breached'
        $notServiceDesk.StatusCode | Should -Be 400
        @(Receive-JiraWebhook -Listener $script:Listener).Count | Should -Be 0
    }

    It 'Disable-JiraAutomationRule stops deliveries; Enable-JiraAutomationRule starts them again' {
        $created = New-JiraWebhookRule -Name 'Switch' -ProjectKey IT -Uri $script:Listener.Url -Token $script:Token -Enable
        $off = Get-JiraAutomationRule -Uuid $created.Uuid | Disable-JiraAutomationRule
        $null = Create-Issue
        # The issue made no delivery: a second rule, enabled, delivers the next event and only that one.
        $on = Enable-JiraAutomationRule -Uuid $created.Uuid
        $null = Create-Issue
        $deliveries = @(Receive-JiraWebhook -Listener $script:Listener -Count 1 -TimeoutSec 20)
        $audit = Wait-EmulatorAudit $script:Emu -Count 1

        $off.Action | Should -Be 'Disabled'
        $on.Action | Should -Be 'Enabled'
        $deliveries.Count | Should -Be 1
        $deliveries[0].Json.issue.fields.summary | Should -Be 'VPN down'
        @($audit).Count | Should -Be 1
        $deliveries[0].Json.issue.key | Should -Be 'IT-2'
    }

    It '-WhatIf sends no write and shows the rule JSON with the token masked' {
        $null = Clear-EmulatorRequest $script:Emu
        $transcript = Join-Path ([IO.Path]::GetTempPath()) "whatif-$([guid]::NewGuid()).txt"
        $null = Start-Transcript -LiteralPath $transcript
        New-JiraWebhookRule -Name 'Dry' -ProjectKey IT -Uri $script:Listener.Url -Token $script:Token -Enable -WhatIf
        $null = Stop-Transcript
        $out = Get-Content -LiteralPath $transcript -Raw
        Remove-Item -LiteralPath $transcript
        $created = New-JiraWebhookRule -Name 'Real' -ProjectKey IT -Uri $script:Listener.Url -Token $script:Token
        $null = Clear-EmulatorRequest $script:Emu
        $null = Disable-JiraAutomationRule -Uuid $created.Uuid -WhatIf
        $null = Enable-JiraAutomationRule -Uuid $created.Uuid -WhatIf
        $null = Remove-JiraAutomationRule -Uuid $created.Uuid -WhatIf
        $null = Set-JiraWebhookRuleToken -Uuid $created.Uuid -Token $script:NewToken -WhatIf

        Get-RuleApiWrite | Should -BeNullOrEmpty
        @(Get-RuleApiRequest).Count | Should -BeGreaterThan 0
        $out | Should -Match 'jira.issue.outgoing.webhook'
        $out | Should -Match 'Bearer \*\*\*|"\*\*\*"'
        $out | Should -Not -Match ([regex]::Escape($script:TokenText))
    }

    It 'exports every rule to JSON, removes them, imports the files: 250 rules read back equal' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ([guid]::NewGuid())
        $null = New-Item -ItemType Directory $dir
        try {
            $null = New-JiraWebhookRule -Name 'Seed' -ProjectKey IT -Uri $script:Listener.Url -Token $script:Token -Enable
            $seed = Get-JiraAutomationRule -Name Seed -Detailed
            $template = $seed.Json | ConvertFrom-Json
            1..249 | ForEach-Object {
                $template.rule.name = "Bulk $_"
                $template.rule.labels = @("batch$($_ % 3)")
                $null = $template | ConvertTo-Json -Depth 30 | New-JiraAutomationRule -WarningAction SilentlyContinue
            }
            $before = @(Get-JiraAutomationRule -Detailed)
            $pages = @((Get-EmulatorRequest $script:Emu) | Where-Object { $_.path -like '*/rule/summary' -and $_.query -like '*cursor=*' })
            $before | ForEach-Object { Set-Content -LiteralPath (Join-Path $dir "$($_.Uuid).json") -Value $_.Json }
            $removed = $before | Remove-JiraAutomationRule -Confirm:$false
            $afterRemove = @(Get-JiraAutomationRule)
            $imported = Get-ChildItem $dir -Filter *.json | New-JiraAutomationRule -WarningAction SilentlyContinue
            $after = @(Get-JiraAutomationRule -Detailed)

            $before.Count | Should -Be 250
            $pages.Count | Should -BeGreaterOrEqual 2
            @($removed | Where-Object Action -eq 'Removed').Count | Should -Be 250
            $afterRemove.Count | Should -Be 0
            @($imported).Count | Should -Be 250
            $after.Count | Should -Be 250
            function Normalize($rule) {
                $r = ($rule.Json | ConvertFrom-Json).rule
                foreach ($p in 'uuid', 'created', 'updated') { $r.PSObject.Properties.Remove($p) }
                $r.trigger.PSObject.Properties.Remove('id')
                $r.components | ForEach-Object { $_.PSObject.Properties.Remove('id') }
                $r | ConvertTo-Json -Depth 30 -Compress
            }
            $expected = $before | Sort-Object Name | ForEach-Object { Normalize $_ }
            $actual = $after | Sort-Object Name | ForEach-Object { Normalize $_ }
            $actual | Should -Be $expected
        }
        finally {
            Remove-Item -LiteralPath $dir -Recurse -Force
        }
    }

    It 'Remove-JiraAutomationRule disables first and, where the delete is refused, says so and leaves the rule disabled' {
        $created = New-JiraWebhookRule -Name 'Stays' -ProjectKey IT -Uri $script:Listener.Url -Token $script:Token -Enable
        $null = Add-EmulatorFault $script:Emu -Kind status -Status 405 -Method DELETE -Path '/automation/public' -Times 1
        $result = Remove-JiraAutomationRule -Uuid $created.Uuid -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue

        $result.Action | Should -Be 'DisabledNotRemoved'
        $warned | Should -Match 'refused to delete'
        (Get-JiraAutomationRule -Uuid $created.Uuid).State | Should -Be 'DISABLED'
    }

    It 'falls back to the site''s /gateway/api path when the gateway does not answer' {
        $null = Add-EmulatorFault $script:Emu -Kind status -Status 404 -Path '/automation/public' -Times -1
        $null = Connect-JiraSite -Url $script:Emu.Url -Credential (Get-CloudAdminCredential) -AllowUnencryptedAuthentication -WarningAction SilentlyContinue
        $created = New-JiraWebhookRule -Name 'Fallback' -ProjectKey IT -Uri $script:Listener.Url -Token $script:Token

        $created.Action | Should -Be 'Created'
        @(Get-RuleApiRequest | Where-Object { $_.path -like '/gateway/api/automation/public/*' -and $_.method -eq 'POST' -and $_.path -like '*/rule' }).Count | Should -Be 1
    }

    It 'a scoped-token session gets AutomationApiTokenRequired and no request reaches the automation API' {
        $scoped = New-TestCredential 'admin@example.com' (Get-TestSecret ScopedAdminToken)
        $session = Connect-JiraSite -CloudId (Get-EmulatorCloudId) -Credential $scoped -ApiGatewayUrl $script:Emu.Url -AllowUnencryptedAuthentication -WarningAction SilentlyContinue
        $null = Clear-EmulatorRequest $script:Emu

        { Get-JiraAutomationRule -Session $session } | Should -Throw -ErrorId 'AutomationApiTokenRequired,JiraConnect.Commands.GetJiraAutomationRuleCommand'
        { New-JiraWebhookRule -Session $session -Name x -SiteWide -Uri $script:Listener.Url -Token $script:Token } | Should -Throw -ErrorId 'AutomationApiTokenRequired,JiraConnect.Commands.NewJiraWebhookRuleCommand'
        Get-RuleApiRequest | Should -BeNullOrEmpty
        @((Get-EmulatorRequest $script:Emu) | Where-Object { $_.path -like '*tenant_info*' }).Count | Should -Be 0
    }

    It 'an OAuth (3LO) session gets AutomationApiTokenRequired from every rule cmdlet and no request reaches the automation API' {
        $app = Register-EmulatorOAuthApp $script:Emu -Scopes 'read:jira-work', 'read:jira-user', 'manage:jira-automation', 'offline_access'
        $savedBrowser = $env:BROWSER
        try {
            $env:BROWSER = Get-ConsentBrowserCommand
            $token = Invoke-JiraOAuthConsent -ClientCredential $app.Credential -RedirectUri $app.RedirectUri -Scope 'read:jira-work', 'read:jira-user', 'manage:jira-automation', 'offline_access' -Environment $script:Emu.Url -TimeoutSec 60
        }
        finally { $env:BROWSER = $savedBrowser }
        $session = Connect-JiraSite -OAuthToken $token -CloudId (Get-EmulatorCloudId)
        $null = Clear-EmulatorRequest $script:Emu
        $uuid = [guid]::NewGuid().ToString()
        $rule = '{"rule":{"name":"x"},"connections":[]}'
        $calls = [ordered]@{
            GetJiraAutomationRuleCommand     = { Get-JiraAutomationRule -Session $session -ErrorAction Stop }
            NewJiraWebhookRuleCommand        = { New-JiraWebhookRule -Session $session -Name x -SiteWide -Uri $script:Listener.Url -Token $script:Token -ErrorAction Stop }
            NewJiraAutomationRuleCommand     = { New-JiraAutomationRule -Session $session -Json $rule -ErrorAction Stop }
            SetJiraAutomationRuleCommand     = { Set-JiraAutomationRule -Session $session -Uuid $uuid -Json $rule -ErrorAction Stop }
            EnableJiraAutomationRuleCommand  = { Enable-JiraAutomationRule -Session $session -Uuid $uuid -ErrorAction Stop }
            DisableJiraAutomationRuleCommand = { Disable-JiraAutomationRule -Session $session -Uuid $uuid -ErrorAction Stop }
            RemoveJiraAutomationRuleCommand  = { Remove-JiraAutomationRule -Session $session -Uuid $uuid -Confirm:$false -ErrorAction Stop }
            SetJiraWebhookRuleTokenCommand   = { Set-JiraWebhookRuleToken -Session $session -Uri $script:Listener.Url -Token $script:NewToken -ErrorAction Stop }
        }
        $errors = foreach ($call in $calls.GetEnumerator()) {
            $e = $call.Value | Should -Throw -ErrorId "AutomationApiTokenRequired,JiraConnect.Commands.$($call.Key)" -PassThru
            $e
        }
        $logged = @((Get-EmulatorRequest $script:Emu) | ForEach-Object { $_ })
        # The session itself works: it reads projects through the API gateway.
        $projects = @(Get-JiraProject -Session $session -First 1)

        $session.AuthenticationType | Should -Be 'OAuth'
        @($errors).Count | Should -Be 8
        $errors | ForEach-Object {
            $_.Exception.Message | Should -Match 'OAuth 2\.0 token'
            $_.Exception.RecommendedAction | Should -Match 'API token'
        }
        @($logged | Where-Object { $_.path -like '*/automation/*' -or $_.path -like '*tenant_info*' }).Count | Should -Be 0
        $projects.Count | Should -Be 1
        @((Get-EmulatorRequest $script:Emu) | ForEach-Object { $_ } | Where-Object path -like '/ex/jira/*').Count | Should -BeGreaterThan 0
    }

    It 'the emulator refuses an OAuth Bearer token and a scoped token at the rule API' {
        $base = "$($script:Emu.Url)/automation/public/jira/$(Get-EmulatorCloudId)/rest/v1/rule/summary"
        $scoped = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("admin@example.com:$(Get-TestSecret ScopedAdminToken)"))
        $bearer = Invoke-WebRequest $base -Headers @{ Authorization = 'Bearer some-oauth-access-token' } -SkipHttpErrorCheck
        $basicScoped = Invoke-WebRequest $base -Headers @{ Authorization = "Basic $scoped" } -SkipHttpErrorCheck

        $bearer.StatusCode | Should -Be 401
        $basicScoped.StatusCode | Should -Be 401
    }
}

Describe 'Data Center' {
    BeforeAll {
        $script:Dc = Start-JiraEmulator -Flavor datacenter -Projects 6
    }
    AfterAll { $script:Dc | Stop-JiraEmulator }

    It 'says there is no rule API, with the manual steps and the allowlist entry' {
        $session = Connect-JiraSite -Url $script:Dc.Url -Credential (Get-DataCenterAdminCredential) -AllowUnencryptedAuthentication -WarningAction SilentlyContinue
        $e = { New-JiraWebhookRule -Session $session -Name x -ProjectKey DEV -Uri 'https://listener.example.com/hooks' -Token $script:Token } |
            Should -Throw -ErrorId 'AutomationRuleApiUnavailable,JiraConnect.Commands.NewJiraWebhookRuleCommand' -PassThru
        $e.Exception.RecommendedAction | Should -Match 'Allowlist'
        $e.Exception.RecommendedAction | Should -Match ([regex]::Escape('https://listener.example.com/hooks'))
        $e.Exception.RecommendedAction | Should -Match 'Hidden'
        { Get-JiraAutomationRule -Session $session } | Should -Throw -ErrorId 'AutomationRuleApiUnavailable,JiraConnect.Commands.GetJiraAutomationRuleCommand'
    }
}
