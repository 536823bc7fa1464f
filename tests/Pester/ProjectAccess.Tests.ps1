BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-JiraConnectModulePath) -Force
    $script:Cloud = Start-JiraEmulator -Flavor cloud -Projects 25
    $script:DataCenter = Start-JiraEmulator -Flavor datacenter -Projects 25
    $script:Test = 'JiraConnect.Commands.TestJiraProjectAccessCommand'
    $script:Add = 'JiraConnect.Commands.AddJiraProjectRoleActorCommand'
    $script:Remove = 'JiraConnect.Commands.RemoveJiraProjectRoleActorCommand'

    function Connect-Both {
        $null = Connect-JiraSite -Url $script:DataCenter.Url -PersonalAccessToken (ConvertTo-SecureString (Get-TestSecret DataCenterAdminPat) -AsPlainText -Force) -Name dc
        $null = Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) -Name cloud
    }

    function Get-Emulator([string] $Flavor) { if ($Flavor -eq 'cloud') { $script:Cloud } else { $script:DataCenter } }

    # The seed, by project position modulo 8 (tests/AtlassianEmulator/README.md): what the admin lacks.
    $lacksEdit = 'EDIT_ISSUES', 'TRANSITION_ISSUES', 'ASSIGN_ISSUES', 'DELETE_ISSUES', 'Role:Administrators'
    $lacksAll = 'BROWSE_PROJECTS', 'CREATE_ISSUES', 'EDIT_ISSUES', 'TRANSITION_ISSUES', 'ASSIGN_ISSUES', 'ADD_COMMENTS', 'DELETE_ISSUES', 'Role:Administrators'
    $script:Withheld = [ordered]@{
        HR = $lacksEdit; MKT = $lacksAll; OPS = @('Role:Administrators')
        PAAAE = $lacksEdit; PAAAG = $lacksAll; PAAAH = @('Role:Administrators')
        PAAAM = $lacksEdit; PAAAO = $lacksAll; PAAAP = @('Role:Administrators')
    }
}

AfterAll {
    Get-JiraSession | Disconnect-JiraSite
    $script:Cloud, $script:DataCenter | Stop-JiraEmulator
}

Describe 'Test-JiraProjectAccess and the role actor cmdlets' {
    BeforeEach {
        Reset-JiraEmulator $script:Cloud
        Reset-JiraEmulator $script:DataCenter
        Connect-Both
    }

    Context 'auditing on <Flavor>' -ForEach @(@{ Flavor = 'cloud' }, @{ Flavor = 'dc' }) {
        It 'with -RequireRole, reports exactly the projects, permissions and role the emulator withholds' {
            $results = @(Test-JiraProjectAccess -Session $Flavor -RequireRole Administrators)
            $results.Count | Should -Be 25
            @($results.ProjectKey | Sort-Object -Unique).Count | Should -Be 25
            $results[0] | Should -BeOfType ([JiraConnect.JiraProjectAccess])
            $notReady = @($results | Where-Object { -not $_.Ready } | Sort-Object ProjectKey)
            $notReady.ProjectKey | Should -Be @($script:Withheld.Keys)
            foreach ($result in $notReady) { $result.Missing | Should -Be $script:Withheld[$result.ProjectKey] }
            ($results | Where-Object ProjectKey -eq FIN).RoleMembership | Should -Be 'Group'
            ($results | Where-Object ProjectKey -eq FIN).RoleGroups | Should -Be 'jira-administrators'
            ($results | Where-Object ProjectKey -eq DEV).RoleMembership | Should -Be 'Direct'
            ($results | Where-Object ProjectKey -eq HR).Detail | Should -Be 'The account lacks EDIT_ISSUES, TRANSITION_ISSUES, ASSIGN_ISSUES and DELETE_ISSUES and is not in the Administrators role.'
            ($results | Where-Object ProjectKey -eq HR).DeterminedBy | Should -Match $(if ($Flavor -eq 'cloud') { '^POST permissions/check' } else { '^GET mypermissions' })
        }

        It 'by default, Ready means the permissions are held and the role is read only where a project is not ready' {
            $emulator = Get-Emulator $Flavor
            Clear-EmulatorRequest $emulator
            $results = @(Test-JiraProjectAccess -Session $Flavor)
            $results.Count | Should -Be 25
            $lacking = @($script:Withheld.Keys | Where-Object { $script:Withheld[$_].Count -gt 1 })
            $notReady = @($results | Where-Object { -not $_.Ready } | Sort-Object ProjectKey)
            $notReady.ProjectKey | Should -Be $lacking
            foreach ($result in $notReady) {
                $result.Missing | Should -Be @($script:Withheld[$result.ProjectKey] | Where-Object { $_ -notlike 'Role:*' })
                $result.RoleMembership | Should -Be 'None'
                $result.Remedy | Should -Be "Run: Add-JiraProjectRoleActor -ProjectKey $($result.ProjectKey) -Role Administrators"
            }
            $ops = $results | Where-Object ProjectKey -eq OPS
            $ops.Ready | Should -BeTrue
            $ops.RoleMembership | Should -Be 'NotChecked'
            $ops.DeterminedBy | Should -Match 'role not read'
            ($results | Where-Object ProjectKey -eq HR).Detail | Should -Be 'The account lacks EDIT_ISSUES, TRANSITION_ISSUES, ASSIGN_ISSUES and DELETE_ISSUES and is not in the Administrators role.'
            # The role's actors are read for the projects that are not ready, and for no other.
            $roleReads = @((Get-EmulatorRequest $emulator) | Where-Object { $_.method -eq 'GET' -and $_.path -match '/project/[^/]+/role/\d+$' })
            @($roleReads.path -replace '^.*/project/([^/]+)/role/.*$', '$1' | Sort-Object -Unique) | Should -Be $notReady.ProjectKey
        }

        It 'after Add-JiraProjectRoleActor a second audit shows every project ready' {
            $changes = @(Test-JiraProjectAccess -Session $Flavor -RequireRole Administrators | Where-Object { -not $_.Ready } | Add-JiraProjectRoleActor -Session $Flavor)
            $changes.Count | Should -Be $script:Withheld.Count
            $changes | ForEach-Object { $_.Result | Should -Be 'Added' }
            $changes[0] | Should -BeOfType ([JiraConnect.JiraRoleActorChange])
            $again = @(Test-JiraProjectAccess -Session $Flavor -RequireRole Administrators)
            $again.Count | Should -Be 25
            @($again | Where-Object { -not $_.Ready }).Count | Should -Be 0
            ($again | Where-Object ProjectKey -eq MKT).RoleMembership | Should -Be 'Direct'
        }

        It '-WhatIf changes nothing' {
            $emulator = Get-Emulator $Flavor
            $before = Test-JiraProjectAccess -Session $Flavor -ProjectKey HR, MKT
            Clear-EmulatorRequest $emulator
            $changes = @(Test-JiraProjectAccess -Session $Flavor -ProjectKey HR, MKT | Add-JiraProjectRoleActor -Session $Flavor -WhatIf)
            $changes.Count | Should -Be 0
            # Reads only: GETs, and Cloud's permission check (a POST that changes nothing).
            @((Get-EmulatorRequest $emulator) | Where-Object { $_.method -ne 'GET' -and $_.path -notlike '*/permissions/check' }).Count | Should -Be 0
            $after = Test-JiraProjectAccess -Session $Flavor -ProjectKey HR, MKT
            ($after | Sort-Object ProjectKey).Missing | Should -Be ($before | Sort-Object ProjectKey).Missing
            $after.Ready | Should -Not -Contain $true
        }
    }

    It 'is idempotent: an actor already in the role is left alone' {
        Clear-EmulatorRequest $script:Cloud
        $change = Add-JiraProjectRoleActor -Session cloud -ProjectKey IT
        $change.Result | Should -Be 'AlreadyPresent'
        $change.Actor | Should -Be '5b10a2844c20165700ede21g'
        @((Get-EmulatorRequest $script:Cloud) | Where-Object method -eq 'POST').Count | Should -Be 0
        (Add-JiraProjectRoleActor -Session cloud -ProjectKey HR).Result | Should -Be 'Added'
        (Add-JiraProjectRoleActor -Session cloud -ProjectKey HR).Result | Should -Be 'AlreadyPresent'
    }

    It 'removes an actor once, asks for confirmation, and reports NotPresent afterwards' {
        (Get-Command Remove-JiraProjectRoleActor).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact | Should -Be 'High'
        Remove-JiraProjectRoleActor -Session dc -ProjectKey IT -WhatIf
        (Test-JiraProjectAccess -Session dc -ProjectKey IT).Ready | Should -BeTrue
        (Remove-JiraProjectRoleActor -Session dc -ProjectKey IT -Confirm:$false).Result | Should -Be 'Removed'
        (Test-JiraProjectAccess -Session dc -ProjectKey IT).Missing | Should -Contain 'BROWSE_PROJECTS'
        (Remove-JiraProjectRoleActor -Session dc -ProjectKey IT -Confirm:$false).Result | Should -Be 'NotPresent'
    }

    It 'adds a group, and the audit sees the role held through it (<Flavor>)' -ForEach @(@{ Flavor = 'cloud' }, @{ Flavor = 'dc' }) {
        $change = Add-JiraProjectRoleActor -Session $Flavor -ProjectKey MKT -Group integration-admins
        $change.ActorType | Should -Be 'Group'
        $change.Result | Should -Be 'Added'
        $access = Test-JiraProjectAccess -Session $Flavor -ProjectKey MKT -RequireRole Administrators
        $access.Ready | Should -BeTrue
        $access.RoleMembership | Should -Be 'Group'
        $access.RoleGroups | Should -Be 'integration-admins'
        (Remove-JiraProjectRoleActor -Session $Flavor -ProjectKey MKT -Group integration-admins -Confirm:$false).Result | Should -Be 'Removed'
    }

    It 'audits another account and fixes it through the pipeline (<Flavor>)' -ForEach @(
        @{ Flavor = 'cloud'; Account = '5b10ac8d82e05b22cc7d4ef5'; Api = '/rest/api/3/permissions/check' }
        @{ Flavor = 'dc'; Account = 'limited'; Api = '/rest/api/2/user/permission/search' }
    ) {
        Clear-EmulatorRequest (Get-Emulator $Flavor)
        $access = Test-JiraProjectAccess -Session $Flavor -AccountId $Account -ProjectKey DEV
        $access.AccountId | Should -Be $Account
        $access.AccountName | Should -Be 'Lee Limited'
        $access.Granted | Should -Be @('BROWSE_PROJECTS', 'CREATE_ISSUES', 'ADD_COMMENTS')
        $access.Remedy | Should -Be "Run: Add-JiraProjectRoleActor -ProjectKey DEV -Role Administrators -AccountId $Account"
        (Get-EmulatorRequest (Get-Emulator $Flavor) -Path $Api).Count | Should -BeGreaterThan 0
        $change = $access | Add-JiraProjectRoleActor -Session $Flavor
        $change.Actor | Should -Be $Account
        (Test-JiraProjectAccess -Session $Flavor -AccountId $Account -ProjectKey DEV).Ready | Should -BeTrue
    }

    It 'takes keys from the pipeline, by value and from Get-JiraProject' {
        @('HR', 'IT' | Test-JiraProjectAccess -Session cloud).Count | Should -Be 2
        (Get-JiraProject -Session cloud -Key OPS | Test-JiraProjectAccess -Session cloud -RequireRole Administrators).Missing | Should -Be 'Role:Administrators'
        @() | Test-JiraProjectAccess -Session cloud | Should -BeNullOrEmpty
    }

    It 'reports an unknown key as ProjectNotFound and audits the others' {
        $results = @(Test-JiraProjectAccess -Session cloud -ProjectKey IT, NOPE, HR -ErrorVariable err -ErrorAction SilentlyContinue)
        ($results.ProjectKey | Sort-Object) | Should -Be @('HR', 'IT')
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be "ProjectNotFound,$script:Test"
        $err[0].TargetObject | Should -Be 'NOPE'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'per-project failures of Add-JiraProjectRoleActor do not stop the rest' {
        $changes = @(Add-JiraProjectRoleActor -Session cloud -ProjectKey NOPE, HR -ErrorVariable err -ErrorAction SilentlyContinue)
        $changes.ProjectKey | Should -Be 'HR'
        $changes.Result | Should -Be 'Added'
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be "RoleAccessDenied,$script:Add"
        $err[0].TargetObject | Should -Be 'NOPE'
        $err[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
    }

    It 'an unknown user is ActorNotFound' {
        $null = Add-JiraProjectRoleActor -Session cloud -ProjectKey HR -AccountId 'no-such-account' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be "ActorNotFound,$script:Add"
        $err[0].ErrorDetails.Message | Should -Match 'accountId'
    }

    It 'an account that may not change roles gets RoleAccessDenied with a remedy' {
        $null = Connect-JiraSite -Url $script:Cloud.Url -Credential (New-TestCredential 'limited@example.com' (Get-TestSecret CloudLimitedToken)) -Name limited
        $null = Add-JiraProjectRoleActor -Session limited -ProjectKey DEV -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be "RoleAccessDenied,$script:Add"
        $err[0].ErrorDetails.Message | Should -Match 'Administer Projects'
        $limited = @(Test-JiraProjectAccess -Session limited -RequireRole Administrators)
        $limited.Count | Should -Be 13
        $limited.RoleMembership | Select-Object -Unique | Should -Be 'Unknown'
    }

    It 'stops with a terminating error for <Case>' -ForEach @(
        @{ Case = 'an unknown required role'; Arguments = @{ RequireRole = 'Admins' }; ErrorId = 'RoleNotFound' }
        @{ Case = 'an unknown role where the project is not ready'; Arguments = @{ Role = 'Admins'; ProjectKey = 'HR' }; ErrorId = 'RoleNotFound' }
        @{ Case = '-RequireRole with -SkipRoleCheck'; Arguments = @{ RequireRole = 'Administrators'; SkipRoleCheck = $true }; ErrorId = 'ParameterNotSupported' }
        @{ Case = '-RequireRole and -Role naming different roles'; Arguments = @{ RequireRole = 'Administrators'; Role = 'Developers' }; ErrorId = 'ParameterNotSupported' }
        @{ Case = 'an unknown account'; Arguments = @{ AccountId = 'nobody' }; ErrorId = 'AccountNotFound' }
        @{ Case = 'an unknown permission'; Arguments = @{ Permission = 'FLY' }; ErrorId = 'BadRequest' }
        @{ Case = 'a blank role name'; Arguments = @{ Role = ' ' }; ErrorId = 'InvalidArgument' }
    ) {
        $audit = @{ ProjectKey = 'DEV' }
        foreach ($name in $Arguments.Keys) { $audit[$name] = $Arguments[$name] }
        { Test-JiraProjectAccess -Session cloud @audit } | Should -Throw -ErrorId "$ErrorId,$script:Test"
    }

    It 'Add-JiraProjectRoleActor with an unknown role is terminating' {
        { Add-JiraProjectRoleActor -Session cloud -ProjectKey HR, IT -Role Admins } | Should -Throw -ErrorId "RoleNotFound,$script:Add"
    }

    It 'Add-JiraProjectRoleActor with a blank group is an invalid argument, not an invalid body' {
        { Add-JiraProjectRoleActor -Session cloud -ProjectKey HR -Role Developers -Group ' ' } | Should -Throw -ErrorId "InvalidArgument,$script:Add"
    }

    It 'needs a session' {
        Get-JiraSession | Disconnect-JiraSite
        { Test-JiraProjectAccess -ProjectKey DEV } | Should -Throw -ErrorId "NotConnected,$script:Test"
        { Add-JiraProjectRoleActor -ProjectKey DEV } | Should -Throw -ErrorId "NotConnected,$script:Add"
    }

    It 'streams results while later projects are still being checked' {
        # Data Center asks project by project (Cloud answers for every project in one request).
        $null = Add-EmulatorFault $script:DataCenter -Kind delay -DelayMs 3000 -Path '/rest/api/2/mypermissions' -After 6
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $firstAt = $null
        Test-JiraProjectAccess -Session dc -ThrottleLimit 2 | ForEach-Object { if ($null -eq $firstAt) { $firstAt = $clock.ElapsedMilliseconds } }
        $firstAt | Should -BeLessThan 2500
        $clock.ElapsedMilliseconds | Should -BeGreaterThan 2900
    }

    It 'reports progress as projects are checked' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$(Get-JiraConnectModulePath)'; `$ProgressPreference = 'Continue'; Test-JiraProjectAccess -Session cloud | Out-Null")
        $null = $ps.Invoke()
        $progress = @($ps.Streams.Progress)
        $ps.Dispose()
        @($progress | Where-Object RecordType -eq 'Processing').Count | Should -BeGreaterOrEqual 1
        $progress[0].StatusDescription | Should -Match '^\d+ of \d+ projects checked$'
        $progress[-1].RecordType | Should -Be 'Completed'
    }

    It 'formats as a table with key, readiness, role and what is missing' {
        $text = Test-JiraProjectAccess -Session cloud -ProjectKey OPS -RequireRole Administrators | Format-Table | Out-String
        $text | Should -Match 'ProjectKey\s+Ready\s+Role\s+RoleMembership\s+Missing'
        $text | Should -Match 'OPS\s+False\s+Administrators\s+None\s+Role:Administrators'
        (Add-JiraProjectRoleActor -Session cloud -ProjectKey IT | Format-Table | Out-String) | Should -Match 'IT\s+Administrators\s+User\s+5b10a2844c20165700ede21g\s+AlreadyPresent'
    }
}

Describe 'Cloud''s bulk permission check and the per-project path agree' {
    BeforeEach {
        Reset-JiraEmulator $script:Cloud
        Reset-JiraEmulator $script:DataCenter
        Connect-Both
    }

    It 'on every project of the seeded site, <Flavor> <Who>' -ForEach @(
        @{ Flavor = 'cloud'; Who = 'session account'; Arguments = @{} }
        @{ Flavor = 'cloud'; Who = 'another account (-AccountId)'; Arguments = @{ AccountId = '5b10ac8d82e05b22cc7d4ef5' } }
        @{ Flavor = 'dc'; Who = 'session account'; Arguments = @{} }
        @{ Flavor = 'dc'; Who = 'another account (-AccountId)'; Arguments = @{ AccountId = 'limited' } }
    ) {
        $emulator = Get-Emulator $Flavor
        $api = if ($Flavor -eq 'cloud') { '/rest/api/3' } else { '/rest/api/2' }
        Clear-EmulatorRequest $emulator
        $bulk = @(Test-JiraProjectAccess -Session $Flavor @Arguments)
        $bulkRequests = Get-EmulatorRequest $emulator
        Clear-EmulatorRequest $emulator
        $perProject = @(Test-JiraProjectAccess -Session $Flavor @Arguments -PerProject)
        $perProjectRequests = Get-EmulatorRequest $emulator
        $bulkFull = @(Test-JiraProjectAccess -Session $Flavor @Arguments -RequireRole Administrators)
        $perProjectFull = @(Test-JiraProjectAccess -Session $Flavor @Arguments -RequireRole Administrators -PerProject)

        $bulk.Count | Should -BeGreaterThan 10
        foreach ($pair in @(@($bulk, $perProject), @($bulkFull, $perProjectFull))) {
            $one, $other = $pair
            ($one.ProjectKey | Sort-Object) | Should -Be ($other.ProjectKey | Sort-Object)
            $byKey = @{}; foreach ($r in $other) { $byKey[$r.ProjectKey] = $r }
            foreach ($r in $one) {
                foreach ($property in 'Ready', 'Missing', 'Granted', 'RoleMembership', 'RoleGroups', 'Detail', 'Remedy', 'AccountId') {
                    "$($r.$property)" | Should -Be "$($byKey[$r.ProjectKey].$property)" -Because "$property of $($r.ProjectKey) is the same on both paths"
                }
            }
        }
        # The default and -RequireRole agree on the permissions, and on the role wherever the default read it.
        $fullByKey = @{}; foreach ($r in $bulkFull) { $fullByKey[$r.ProjectKey] = $r }
        foreach ($r in $bulk) {
            "$($r.Granted)" | Should -Be "$($fullByKey[$r.ProjectKey].Granted)"
            if (-not $r.Ready) { $r.RoleMembership | Should -Be $fullByKey[$r.ProjectKey].RoleMembership }
        }
        # The seeded cases are all there: browse missing, edit missing (browse held), role missing, through a group.
        @($bulk | Where-Object { $_.Missing -contains 'BROWSE_PROJECTS' }).Count | Should -BeGreaterThan 0
        @($bulk | Where-Object { $_.Missing -contains 'EDIT_ISSUES' -and $_.Granted -contains 'BROWSE_PROJECTS' }).Count | Should -BeGreaterThan 0
        @($bulkFull | Where-Object { $_.Missing -contains 'Role:Administrators' }).Count | Should -BeGreaterThan 0
        if (-not $Arguments.AccountId) {
            ($bulk | Where-Object ProjectKey -eq OPS).Ready | Should -BeTrue
            ($bulkFull | Where-Object ProjectKey -eq OPS).Missing | Should -Be 'Role:Administrators'
            ($bulkFull | Where-Object ProjectKey -eq FIN).RoleMembership | Should -Be 'Group'
        }

        if ($Flavor -eq 'cloud') {
            @($bulkRequests | Where-Object path -like "$api/permissions/check*").Count | Should -Be 1
            @($bulkRequests | Where-Object path -like "$api/mypermissions*").Count | Should -Be 0
            $perProjectApi = if ($Arguments.AccountId) { "$api/permissions/check*" } else { "$api/mypermissions*" }
            @($perProjectRequests | Where-Object path -like $perProjectApi).Count | Should -Be $bulk.Count
        }
        else {
            # Data Center has no bulk check: one mypermissions a project, with the permission filter.
            if (-not $Arguments.AccountId) {
                $asked = @($bulkRequests | Where-Object path -like "$api/mypermissions*")
                $asked.Count | Should -Be $bulk.Count
                $asked | ForEach-Object { $_.query | Should -Match 'permissions=' }
            }
        }
    }
}

Describe 'Auditing 1,000 projects under the burst limit' {
    BeforeAll {
        $script:Busy = Start-JiraEmulator -Flavor cloud -Projects 1000 -BurstLimit 200
        $null = Connect-JiraSite -Url $script:Busy.Url -Credential (Get-CloudAdminCredential) -Name busy
    }

    AfterAll {
        Disconnect-JiraSite -Name busy
        $script:Busy | Stop-JiraEmulator
    }

    It 'finishes with every project reported once, pacing the role reads to the burst limit instead of running into 429s' {
        $results = @(Test-JiraProjectAccess -Session busy -RequireRole Administrators -ThrottleLimit 8 -ErrorVariable err -ErrorAction SilentlyContinue -Verbose 4>&1)
        $verbose = @($results | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $access = @($results | Where-Object { $_ -is [JiraConnect.JiraProjectAccess] })
        $err.Count | Should -Be 0
        $access.Count | Should -Be 1000
        @($access.ProjectKey | Sort-Object -Unique).Count | Should -Be 1000
        @($access | Where-Object { -not $_.Ready }).Count | Should -Be 375
        $limited = @((Get-EmulatorRequest $script:Busy) | Where-Object status -eq 429)
        # 1,000 reads of one endpoint from 8 workers would pass 200 a second within a fraction of every second.
        $limited.Count | Should -BeLessOrEqual 3
        @($verbose.Message -match 'project/\{projectIdOrKey\}/role/\{id\} is near Jira''s burst limit: its requests are now paced to 200 a second').Count | Should -Be 1
    }
}
