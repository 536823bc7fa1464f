using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace JiraConnect.OAuth
{
    /// <summary>
    /// Opens a URL in the user's browser: the command in the BROWSER environment variable when set (as git, gh and
    /// Python do; "%s" stands for the URL, otherwise it is appended), else the shell on Windows, "open" on macOS and
    /// "xdg-open" elsewhere. Never waits for the browser.
    /// </summary>
    internal static class SystemBrowser
    {
        /// <summary>Starts the browser; returns the program that was started.</summary>
        public static string Open(Uri url)
        {
            string command = Environment.GetEnvironmentVariable("BROWSER");
            ProcessStartInfo start;
            if (!string.IsNullOrWhiteSpace(command))
            {
                var words = Split(command.Split(System.IO.Path.PathSeparator)[0]);
                if (words.Count == 0) throw Failed(url, "the BROWSER environment variable holds no command", null);
                bool substituted = false;
                var arguments = words.Skip(1).Select(w => { if (w.Contains("%s")) { substituted = true; return w.Replace("%s", url.AbsoluteUri); } return w; }).ToList();
                if (!substituted) arguments.Add(url.AbsoluteUri);
                start = new ProcessStartInfo(words[0], string.Join(" ", arguments.Select(Quote)));
            }
            else if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                start = new ProcessStartInfo(url.AbsoluteUri) { UseShellExecute = true };
            }
            else
            {
                start = new ProcessStartInfo(RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "open" : "xdg-open", Quote(url.AbsoluteUri));
            }
            if (!start.UseShellExecute)
            {
                start.UseShellExecute = false;
                start.CreateNoWindow = true;
            }
            try
            {
                using (Process.Start(start)) { }
            }
            catch (Exception e) when (e is Win32Exception || e is InvalidOperationException || e is System.IO.FileNotFoundException)
            {
                throw Failed(url, "starting '" + start.FileName + "' failed (" + e.Message + ")", e);
            }
            return start.FileName;
        }

        private static JiraException Failed(Uri url, string why, Exception inner) =>
            new JiraException(JiraErrorId.BrowserLaunchFailed, JiraErrorKind.ResourceUnavailable,
                "No browser could be opened for the consent: " + why + ".", url.GetLeftPart(UriPartial.Path),
                "Use -NoBrowser to open the address on another device and paste back where it lands, or set the BROWSER environment variable to your browser's command.", inner);

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
