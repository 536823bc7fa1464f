BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-JiraConnectModulePath
    $script:Manifest = Import-PowerShellDataFile $script:ModulePath
    $script:Cloud = Start-JiraEmulator -Flavor cloud -Projects 7
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ("jiraconnect-pkg-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $script:Work
    # Child processes get the credential through the environment, never on a command line.
    $script:ChildEnv = @{ JC_URL = $script:Cloud.Url; JC_TOKEN = (Get-TestSecret CloudAdminToken) }
    $script:Connect = '$cred = [pscredential]::new(''admin@example.com'', (ConvertTo-SecureString $env:JC_TOKEN -AsPlainText -Force)); $null = Connect-JiraSite -Url $env:JC_URL -Credential $cred'
}

AfterAll {
    $script:Cloud | Stop-JiraEmulator
    Remove-Item $script:Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Install from a PSResource repository' {
    BeforeAll {
        # A private HOME isolates the repository registration and the CurrentUser module scope.
        $script:IsolatedHome = Join-Path $script:Work 'home'
        $script:Repo = Join-Path $script:Work 'repo'
        $null = New-Item -ItemType Directory -Path $script:IsolatedHome, $script:Repo
        $script:InstallEnv = $script:ChildEnv + @{ HOME = $script:IsolatedHome; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; XDG_CACHE_HOME = $null; PSModulePath = $null; JC_REPO = $script:Repo; JC_MODULE = (Split-Path $script:ModulePath) }
        $publish = Invoke-FreshPwsh -WorkingDirectory $script:Work -Environment $script:InstallEnv -Script @'
$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name LocalJira -Uri $env:JC_REPO -Trusted
Publish-PSResource -Path $env:JC_MODULE -Repository LocalJira
Install-PSResource -Name JiraConnect -Repository LocalJira -Scope CurrentUser -TrustRepository -Quiet
'INSTALLED'
'@
        $script:PublishResult = $publish
    }

    It 'publishes and installs by name from a local repository' {
        $script:PublishResult.Output | Should -Match 'INSTALLED'
        $script:PublishResult.ExitCode | Should -Be 0
        (Get-ChildItem $script:Repo -Filter 'JiraConnect.*.nupkg').Name | Should -Be "JiraConnect.$($script:Manifest.ModuleVersion).nupkg"
    }

    It 'lists the installed module with its version, editions and cmdlets' {
        $result = Invoke-FreshPwsh -Environment $script:InstallEnv -Script @'
$m = Get-Module JiraConnect -ListAvailable | Select-Object -First 1
"VERSION=$($m.Version)"
"EDITIONS=$($m.CompatiblePSEditions -join ',')"
"CMDLETS=$(($m.ExportedCmdlets.Keys | Sort-Object) -join ',')"
"PATH=$($m.Path)"
'@
        $result.Output | Should -Match "VERSION=$([regex]::Escape($script:Manifest.ModuleVersion))"
        $result.Output | Should -Match 'EDITIONS=Desktop,Core'
        $result.Output | Should -Match ("CMDLETS=" + [regex]::Escape((($script:Manifest.CmdletsToExport | Sort-Object) -join ',')))
        $result.Output | Should -Match ([regex]::Escape($script:IsolatedHome))
    }

    It 'imports by name in a fresh pwsh and connects to the emulator' {
        $result = Invoke-FreshPwsh -Environment $script:InstallEnv -Script (@'
$ErrorActionPreference = 'Stop'
Import-Module JiraConnect
"FROM=$((Get-Module JiraConnect).ModuleBase)"
'@ + "`n" + $script:Connect + "`n" + @'
"PROJECTS=$(@(Get-JiraProject).Count)"
"COMMANDS=$(((Get-Command -Module JiraConnect).Name | Sort-Object) -join ',')"
'@)
        $result.ExitCode | Should -Be 0
        $result.Output | Should -Match ('FROM=' + [regex]::Escape($script:IsolatedHome))
        $result.Output | Should -Match 'PROJECTS=7'
        $result.Output | Should -Match ("COMMANDS=" + [regex]::Escape((($script:Manifest.CmdletsToExport | Sort-Object) -join ',')))
    }
}

Describe 'Loading beside other assemblies' {
    It 'works after another assembly built against System.Text.Json was loaded first' {
        $source = Join-Path $script:Work 'Conflict.cs'
        $dll = Join-Path $script:Work 'Conflict.dll'
        Set-Content -Path $source -Value @'
public static class OtherModule {
    public static string Serialize() { return System.Text.Json.JsonSerializer.Serialize(new int[] { 1, 2 }); }
}
'@
        $stj = Join-Path (Split-Path $script:ModulePath) 'dependencies/System.Text.Json.dll'
        Add-Type -Path $source -OutputAssembly $dll -ReferencedAssemblies $stj, 'System.Runtime', 'netstandard' -ErrorAction Stop
        Test-Path $dll | Should -BeTrue
        $result = Invoke-FreshPwsh -Environment ($script:ChildEnv + @{ JC_DLL = $dll; JC_MODULE = $script:ModulePath }) -Script (@'
$ErrorActionPreference = 'Stop'
Add-Type -Path $env:JC_DLL
"OTHER=$([OtherModule]::Serialize())"
"BUILTAGAINST=$(([OtherModule].Assembly.GetReferencedAssemblies() | Where-Object Name -eq 'System.Text.Json').Version)"
Import-Module $env:JC_MODULE
'@ + "`n" + $script:Connect + "`n" + @'
"PROJECTS=$(@(Get-JiraProject).Count)"
'@)
        $result.Output | Should -Match 'OTHER=\[1,2\]'
        $result.Output | Should -Match 'BUILTAGAINST=8\.0\.0\.0'
        $result.Output | Should -Match 'PROJECTS=7'
        $result.ExitCode | Should -Be 0
    }

    It 'serves its own dependencies from a private load context and unhooks on Remove-Module' -Skip:($PSVersionTable.PSEdition -eq 'Desktop') {
        # A stand-in dependency the runtime does not provide, placed in a copy of the module's dependencies/.
        $copy = Join-Path $script:Work 'module/JiraConnect'
        $null = New-Item -ItemType Directory -Path (Split-Path $copy) -Force
        Copy-Item (Split-Path $script:ModulePath) $copy -Recurse
        $depSource = Join-Path $script:Work 'Dep.cs'
        Set-Content -Path $depSource -Value 'namespace JiraConnectProbe { public static class Dep { public static int Answer() { return 42; } } }'
        Add-Type -Path $depSource -OutputAssembly (Join-Path $copy 'dependencies/JiraConnectProbe.dll') -ErrorAction Stop
        Add-Type -Path $depSource -OutputAssembly (Join-Path $copy 'dependencies/JiraConnectProbeTwo.dll') -ErrorAction Stop
        # Add-Type names the assemblies itself; the resolver matches by assembly name, not file name.
        $probe = [System.Reflection.AssemblyName]::GetAssemblyName((Join-Path $copy 'dependencies/JiraConnectProbe.dll')).Name
        $probeTwo = [System.Reflection.AssemblyName]::GetAssemblyName((Join-Path $copy 'dependencies/JiraConnectProbeTwo.dll')).Name
        $result = Invoke-FreshPwsh -Environment @{ JC_MODULE = (Join-Path $copy 'JiraConnect.psd1'); JC_PROBE = $probe; JC_PROBE2 = $probeTwo } -Script @'
Import-Module $env:JC_MODULE
$assembly = [System.Runtime.Loader.AssemblyLoadContext]::Default.LoadFromAssemblyName([System.Reflection.AssemblyName]::new($env:JC_PROBE))
"CONTEXT=$([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($assembly).Name)"
"ANSWER=$($assembly.GetType('JiraConnectProbe.Dep').GetMethod('Answer').Invoke($null, @()))"
try { [System.Runtime.Loader.AssemblyLoadContext]::Default.LoadFromAssemblyName([System.Reflection.AssemblyName]::new('NotOurs.Assembly')) | Out-Null; 'FOREIGN=loaded' } catch { 'FOREIGN=refused' }
Remove-Module JiraConnect
try { [System.Runtime.Loader.AssemblyLoadContext]::Default.LoadFromAssemblyName([System.Reflection.AssemblyName]::new($env:JC_PROBE2)) | Out-Null; 'AFTER=served' } catch { 'AFTER=unhooked' }
'@
        $result.Output | Should -Match 'CONTEXT=JiraConnect'
        $result.Output | Should -Match 'ANSWER=42'
        $result.Output | Should -Match 'FOREIGN=refused'
        $result.Output | Should -Match 'AFTER=unhooked'
    }

    It 'Remove-Module then Import-Module works in one session' {
        $result = Invoke-FreshPwsh -Environment ($script:ChildEnv + @{ JC_MODULE = $script:ModulePath }) -Script (@'
$ErrorActionPreference = 'Stop'
Import-Module $env:JC_MODULE
Remove-Module JiraConnect
Import-Module $env:JC_MODULE
'@ + "`n" + $script:Connect + "`n" + '"PROJECTS=$(@(Get-JiraProject).Count)"')
        $result.Output | Should -Match 'PROJECTS=7'
        $result.ExitCode | Should -Be 0
    }
}

Describe 'Runbook readiness' {
    BeforeAll {
        function Invoke-Runbook([string[]] $RequiredProject) {
            $runbook = Join-Path $PSScriptRoot '../../docs/examples/Test-JiraConnectionRunbook.ps1'
            $environment = $script:ChildEnv + @{ JC_MODULE = $script:ModulePath; JC_RUNBOOK = $runbook; JC_REQUIRED = ($RequiredProject -join ',') }
            Invoke-FreshPwsh -Environment $environment -Script @'
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
Import-Module $env:JC_MODULE
$cred = [pscredential]::new('admin@example.com', (ConvertTo-SecureString $env:JC_TOKEN -AsPlainText -Force))
$report = & $env:JC_RUNBOOK -SiteUrl $env:JC_URL -Credential $cred -RequiredProject ($env:JC_REQUIRED -split ',')
"READY=$($report.Ready)"
"PROJECTS=$($report.VisibleProjects)"
"MISSING=$($report.MissingProjects -join ',')"
'@
        }
    }

    It 'fails fast instead of prompting for a missing mandatory parameter (-NonInteractive, redirected input)' {
        $result = Invoke-FreshPwsh -Environment @{ JC_MODULE = $script:ModulePath } -Script @'
Import-Module $env:JC_MODULE
try { Connect-JiraSite -Url https://example.atlassian.net -ErrorAction Stop } catch { "ID=$($_.FullyQualifiedErrorId)"; "MSG=$($_.Exception.Message)" }
'@ -TimeoutSec 60
        $result.Output | Should -Match 'ID=MissingMandatoryParameter,JiraConnect.Commands.ConnectJiraSiteCommand'
        $result.Output | Should -Match 'MSG=.*Credential'
    }

    It 'fails fast instead of prompting for a password when -Credential is only a user name' {
        $result = Invoke-FreshPwsh -Environment @{ JC_MODULE = $script:ModulePath } -Script @'
Import-Module $env:JC_MODULE
try { Connect-JiraSite -Url https://example.atlassian.net -Credential admin@example.com -ErrorAction Stop } catch { "ID=$($_.FullyQualifiedErrorId)" }
'@ -TimeoutSec 60
        $result.Output | Should -Match 'ID=ParameterArgumentTransformationError,JiraConnect.Commands.ConnectJiraSiteCommand'
    }

    It 'runs the runbook example under Set-StrictMode -Version Latest and $ErrorActionPreference = Stop' {
        $result = Invoke-Runbook -RequiredProject 'DEV', 'IT'
        $result.Output | Should -Match 'READY=True'
        $result.Output | Should -Match 'PROJECTS=7'
        $result.Output | Should -Match 'MISSING=\s'
        $result.ExitCode | Should -Be 0
    }

    It 'the runbook example reports a missing project instead of hiding it' {
        $result = Invoke-Runbook -RequiredProject 'DEV', 'NOPE'
        $result.Output | Should -Match 'READY=False'
        $result.Output | Should -Match 'MISSING=NOPE'
    }
}
