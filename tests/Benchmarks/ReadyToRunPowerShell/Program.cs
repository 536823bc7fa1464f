// Nothing runs: this project exists so that `dotnet publish` compiles its PowerShell references ReadyToRun.
internal static class Program
{
    private static int Main() => typeof(System.Management.Automation.PowerShell).Assembly is null ? 1 : 0;
}
