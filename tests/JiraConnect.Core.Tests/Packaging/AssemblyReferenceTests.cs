using System;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Xunit;

namespace JiraConnect.Core.Tests.Packaging
{
    /// <summary>
    /// Guards for loading beside other modules: the cmdlet assembly references only the engine and PowerShell,
    /// so every third-party assembly is reached through the engine and the module's own resolver; the engine
    /// never references PowerShell.
    /// </summary>
    public sealed class AssemblyReferenceTests
    {
#if DEBUG
        private const string Configuration = "Debug";
#else
        private const string Configuration = "Release";
#endif

        private static string BuiltAssembly(string project, string file)
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "JiraConnect.sln"))) dir = dir.Parent;
            Assert.NotNull(dir);
            string path = Path.Combine(dir.FullName, "src", project, "bin", Configuration, "netstandard2.0", file);
            Assert.True(File.Exists(path), "Not built: " + path);
            return path;
        }

        private static string[] ReferencesOf(string path)
        {
            using (var stream = File.OpenRead(path))
            using (var pe = new PEReader(stream))
            {
                var reader = pe.GetMetadataReader();
                return reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).OrderBy(n => n).ToArray();
            }
        }

        [Fact]
        public void CmdletAssemblyReferencesOnlyTheEngineAndPowerShell()
        {
            var references = ReferencesOf(BuiltAssembly("JiraConnect", "JiraConnect.dll"));
            Assert.Contains("JiraConnect.Core", references);
            Assert.Contains("System.Management.Automation", references);
            var unexpected = references.Except(new[] { "JiraConnect.Core", "System.Management.Automation", "netstandard" }).ToArray();
            Assert.True(unexpected.Length == 0, "Unexpected references: " + string.Join(", ", unexpected));
        }

        [Fact]
        public void EngineDoesNotReferencePowerShell()
        {
            var references = ReferencesOf(BuiltAssembly("JiraConnect.Core", "JiraConnect.Core.dll"));
            Assert.Contains("System.Text.Json", references);
            Assert.DoesNotContain("System.Management.Automation", references);
        }
    }
}
