using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Tasks;

namespace JiraConnect.OAuth
{
    /// <summary>
    /// Opens a URL in the user's browser: the command in the BROWSER environment variable when set (as git, gh and
    /// Python do; "%s" stands for the URL, otherwise it is appended), else the shell on Windows, "open" on macOS and
    /// "xdg-open" elsewhere. Never waits for the browser beyond a short launch window, and never lets a launcher write
    /// to the console.
    /// </summary>
    internal static class SystemBrowser
    {
        /// <summary>How long a launcher gets to fail (exit with an error) before it counts as a running browser.</summary>
        internal static readonly TimeSpan LaunchWindow = TimeSpan.FromSeconds(3);

        /// <summary>
        /// Why no browser can be opened here, or null when one may be: the BROWSER command is always tried; without it
        /// a session that is not interactive opens none (nobody would click Accept), nor does Linux without a display.
        /// </summary>
        public static string WhyUnavailable(bool interactive)
        {
            if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("BROWSER"))) return null;
            if (!interactive) return "this PowerShell session is not interactive and the BROWSER environment variable names no browser command";
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux)
                && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY")) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY")))
            {
                return "there is no graphical display (neither DISPLAY nor WAYLAND_DISPLAY is set)";
            }
            return null;
        }

        /// <summary>
        /// Starts the browser and watches the launcher for <see cref="LaunchWindow"/>: null when it runs on or exits
        /// cleanly, else what went wrong (it could not start, exited with an error, or reported one). Its output never
        /// reaches the console: stdin, stdout and stderr are pipes of ours, drained until it closes them.
        /// </summary>
        public static async Task<string> OpenAsync(Uri url)
        {
            var start = StartInfo(url);
            if (start.UseShellExecute)
            {
                try { using (Process.Start(start)) { } }
                catch (Exception e) when (e is Win32Exception || e is InvalidOperationException || e is System.IO.FileNotFoundException)
                {
                    return "opening the URL with the shell failed (" + e.Message + ")";
                }
                return null;
            }

            start.RedirectStandardInput = start.RedirectStandardOutput = start.RedirectStandardError = true;
            start.CreateNoWindow = true;
            var errors = new StringBuilder();
            var errorsClosed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var exited = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            process.OutputDataReceived += (_, e) => { };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data == null) { errorsClosed.TrySetResult(true); process.Dispose(); return; }
                lock (errors) if (errors.Length < 1024) errors.AppendLine(e.Data);
            };
            process.Exited += (_, e) => exited.TrySetResult(true);
            try
            {
                process.Start();
            }
            catch (Exception e) when (e is Win32Exception || e is InvalidOperationException || e is System.IO.FileNotFoundException)
            {
                process.Dispose();
                return "starting '" + start.FileName + "' failed (" + e.Message + ")";
            }
            JiraLog.Verbose("Started " + start.FileName + " to open the consent page.");
            try { process.StandardInput.Close(); } catch (System.IO.IOException) { }
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            if (await Task.WhenAny(exited.Task, Task.Delay(LaunchWindow)).ConfigureAwait(false) != exited.Task) return null;
            // Its last words, unless a browser it started holds the pipe open.
            await Task.WhenAny(errorsClosed.Task, Task.Delay(500)).ConfigureAwait(false);
            int exitCode;
            try { exitCode = process.ExitCode; }
            catch (InvalidOperationException) { return null; }
            string said;
            lock (errors) said = errors.ToString().Replace(url.AbsoluteUri, "<consent URL>").Trim();
            if (said.Length > 300) said = said.Substring(0, 300) + "…";
            said = Security.Redactor.Text(said);
            if (exitCode != 0) return $"'{start.FileName}' exited with code {exitCode}" + (said.Length > 0 ? ": " + said : string.Empty);
            if (LooksLikeError(said)) return $"'{start.FileName}' reported: " + said;
            return null;
        }

        private static bool LooksLikeError(string text)
        {
            string lower = text.ToLowerInvariant();
            return new[] { "error", "fail", "cannot", "can't", "unable", "not found", "no method" }.Any(lower.Contains);
        }

        private static ProcessStartInfo StartInfo(Uri url)
        {
            string command = Environment.GetEnvironmentVariable("BROWSER");
            if (!string.IsNullOrWhiteSpace(command))
            {
                var words = Split(command.Split(System.IO.Path.PathSeparator)[0]);
                if (words.Count == 0) return new ProcessStartInfo("BROWSER") { UseShellExecute = false };
                bool substituted = false;
                var arguments = words.Skip(1).Select(w => { if (w.Contains("%s")) { substituted = true; return w.Replace("%s", url.AbsoluteUri); } return w; }).ToList();
                if (!substituted) arguments.Add(url.AbsoluteUri);
                return new ProcessStartInfo(words[0], string.Join(" ", arguments.Select(Quote))) { UseShellExecute = false };
            }
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return new ProcessStartInfo(url.AbsoluteUri) { UseShellExecute = true };
            return new ProcessStartInfo(RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "open" : "xdg-open", Quote(url.AbsoluteUri)) { UseShellExecute = false };
        }

        /// <summary>Splits a command line into words; double quotes group, backslash escapes a quote.</summary>
        internal static List<string> Split(string commandLine)
        {
            var words = new List<string>();
            var current = new StringBuilder();
            bool quoted = false, any = false;
            for (int i = 0; i < commandLine.Length; i++)
            {
                char c = commandLine[i];
                if (c == '\\' && i + 1 < commandLine.Length && commandLine[i + 1] == '"') { current.Append('"'); i++; any = true; }
                else if (c == '"') { quoted = !quoted; any = true; }
                else if (char.IsWhiteSpace(c) && !quoted)
                {
                    if (any) words.Add(current.ToString());
                    current.Clear();
                    any = false;
                }
                else { current.Append(c); any = true; }
            }
            if (any) words.Add(current.ToString());
            return words;
        }

        /// <summary>Quotes one argument for ProcessStartInfo.Arguments (the rules the runtime parses it with).</summary>
        internal static string Quote(string argument)
        {
            if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '"', '\\' }) < 0) return argument;
            var quoted = new StringBuilder("\"");
            int backslashes = 0;
            foreach (char c in argument)
            {
                if (c == '\\') { backslashes++; continue; }
                if (c == '"') { quoted.Append('\\', backslashes * 2 + 1).Append('"'); backslashes = 0; continue; }
                quoted.Append('\\', backslashes).Append(c);
                backslashes = 0;
            }
            return quoted.Append('\\', backslashes * 2).Append('"').ToString();
        }
    }
}
