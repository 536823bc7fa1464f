using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace JiraConnect.Commands
{
    /// <summary>
    /// Resolves the module's own third-party assemblies from its dependencies/ folder (Windows PowerShell 5.1,
    /// where the runtime does not provide System.Text.Json). Only names present in that folder are resolved,
    /// so other modules' assemblies are never hijacked. Removing the module unhooks the resolver.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string DependencyFolder =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? string.Empty, "dependencies");

        public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += Resolve;

        public void OnRemove(PSModuleInfo module) => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

        private static Assembly Resolve(object sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name);
            string candidate = Path.Combine(DependencyFolder, name.Name + ".dll");
            if (!File.Exists(candidate)) return null;
            var available = AssemblyName.GetAssemblyName(candidate);
            // Serve only requests our copy satisfies (same or older version).
            if (name.Version != null && available.Version < name.Version) return null;
            return Assembly.LoadFrom(candidate);
        }
    }
}
