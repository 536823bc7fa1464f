using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace JiraConnect.Commands
{
    /// <summary>
    /// Loads the module's third-party assemblies from its dependencies/ folder without disturbing the rest of
    /// the session. On PowerShell 7 a handler on the default load context's Resolving event fires only when the
    /// runtime does not provide an equal or newer version; it then loads ours into a private load context. On
    /// Windows PowerShell 5.1 an AssemblyResolve handler serves the same names from the same folder. Only the
    /// names present in dependencies/ are served, so other modules' assemblies are never hijacked, and removing
    /// the module unhooks the handler.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string DependencyFolder =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? string.Empty, "dependencies");

        // Assembly name → (path, version), read on the first resolve request rather than at import.
        private static readonly Lazy<Dictionary<string, (string Path, Version Version)>> Dependencies = new Lazy<Dictionary<string, (string, Version)>>(() =>
            (Directory.Exists(DependencyFolder) ? Directory.GetFiles(DependencyFolder, "*.dll") : new string[0])
                .Select(path => (Path: path, Name: AssemblyName.GetAssemblyName(path)))
                .GroupBy(d => d.Name.Name, StringComparer.OrdinalIgnoreCase)
                .Select(g => g.OrderByDescending(d => d.Name.Version).First())
                .ToDictionary(d => d.Name.Name, d => (d.Path, d.Name.Version), StringComparer.OrdinalIgnoreCase));

        private static readonly object Gate = new object();
        private static LoadContextProxy _proxy;

        public void OnImport()
        {
            if (LoadContextProxy.IsSupported)
            {
                lock (Gate) { if (_proxy == null) _proxy = new LoadContextProxy("JiraConnect", DependencyFolder); }
                _proxy.Hook(Resolve);
            }
            else
            {
                AppDomain.CurrentDomain.AssemblyResolve += OnAssemblyResolve;
            }

            CommandNameConflict.CheckAtImport();
        }

        public void OnRemove(PSModuleInfo module)
        {
            // Listeners hold ports and threads; they must not outlive the module.
            JiraWebhookListenerRegistry.StopAll();
            if (_proxy != null) _proxy.Unhook();
            else AppDomain.CurrentDomain.AssemblyResolve -= OnAssemblyResolve;
        }

        private static Assembly OnAssemblyResolve(object sender, ResolveEventArgs args) =>
            Resolve(new AssemblyName(args.Name), path => Assembly.LoadFrom(path));

        private static Assembly Resolve(AssemblyName requested, Func<string, Assembly> load)
        {
            if (requested?.Name == null || !Dependencies.Value.TryGetValue(requested.Name, out var available)) return null;
            // Serve only requests our copy satisfies (same or older version).
            if (requested.Version != null && available.Version < requested.Version) return null;
            return load(available.Path);
        }

        /// <summary>
        /// AssemblyLoadContext through reflection: this assembly targets netstandard2.0, which has no such type,
        /// and must still load on .NET Framework.
        /// </summary>
        private sealed class LoadContextProxy
        {
            private static readonly Type AlcType = Type.GetType("System.Runtime.Loader.AssemblyLoadContext, System.Runtime.Loader", false)
                ?? Type.GetType("System.Runtime.Loader.AssemblyLoadContext", false);

            private readonly object _context;
            private readonly MethodInfo _loadFromPath;
            private readonly EventInfo _resolving;
            private readonly object _default;
            private Delegate _handler;
            private Func<AssemblyName, Func<string, Assembly>, Assembly> _resolve;

            public static bool IsSupported => AlcType != null && !RuntimeIsFramework;

            private static bool RuntimeIsFramework =>
                System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

            public LoadContextProxy(string name, string folder)
            {
                _context = Activator.CreateInstance(AlcType, name, false);
                _loadFromPath = AlcType.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) });
                _default = AlcType.GetProperty("Default", BindingFlags.Public | BindingFlags.Static).GetValue(null);
                _resolving = AlcType.GetEvent("Resolving");
            }

            public void Hook(Func<AssemblyName, Func<string, Assembly>, Assembly> resolve)
            {
                lock (this)
                {
                    if (_handler != null) return;
                    _resolve = resolve;
                    var method = typeof(LoadContextProxy).GetMethod(nameof(OnResolving), BindingFlags.NonPublic | BindingFlags.Instance);
                    _handler = Delegate.CreateDelegate(_resolving.EventHandlerType, this, method);
                    _resolving.AddEventHandler(_default, _handler);
                }
            }

            public void Unhook()
            {
                lock (this)
                {
                    if (_handler == null) return;
                    _resolving.RemoveEventHandler(_default, _handler);
                    _handler = null;
                }
            }

            // Signature compatible with Func<AssemblyLoadContext, AssemblyName, Assembly>.
            private Assembly OnResolving(object context, AssemblyName name) =>
                _resolve(name, path => (Assembly)_loadFromPath.Invoke(_context, new object[] { path }));
        }
    }
}
