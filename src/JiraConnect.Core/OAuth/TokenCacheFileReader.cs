using System;
using System.IO;
using JiraConnect.Security;
using Microsoft.Win32.SafeHandles;

namespace JiraConnect.OAuth
{
    /// <summary>
    /// Reads a token cache file, at most <see cref="MaxBytes"/>, after checking it can be trusted. On Linux and macOS
    /// the file must be a regular file (not a link, FIFO or device) owned by this user with no permission for group or
    /// others, in a folder that others cannot write to (unless it is sticky, like /tmp); anything else is refused with
    /// TokenCacheInsecure.
    /// </summary>
    internal sealed class TokenCacheFileReader
    {
        /// <summary>The most a cache file may hold; a token cache is a few kilobytes.</summary>
        internal const int MaxBytes = 1024 * 1024;

        private readonly string _path;

        internal TokenCacheFileReader(string path)
        {
            _path = path;
        }

        /// <summary>The file's bytes, or null when there is no cache file.</summary>
        internal byte[] Read()
        {
            if (!NativeMethods.IsUnix)
            {
                // Windows: DPAPI binds the secrets to the user, so another account cannot use a copied or readable file;
                // a link is still refused, and the read is bounded.
                var info = new FileInfo(_path);
                if (!info.Exists) return Directory.Exists(_path) ? throw InsecureFile("it is a directory") : null;
                if ((info.Attributes & FileAttributes.ReparsePoint) != 0) throw InsecureFile("it is a symbolic link or junction");
                try
                {
                    using (var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                        return ReadAtMost(stream);
                }
                catch (FileNotFoundException) { return null; }
                catch (DirectoryNotFoundException) { return null; }
            }

            string folder = Path.GetDirectoryName(_path);
            var folderStatus = NativeMethods.Status(folder);
            if (folderStatus == null) return null;
            // Writable by group or others and not sticky: someone else could swap the file.
            if ((folderStatus.Value.Permissions & 0x12) != 0 && (folderStatus.Value.Permissions & 0x200) == 0)
            {
                throw InsecureFile($"its folder '{folder}' can be written by other users (mode {Octal(folderStatus.Value.Permissions)})", $"chmod 700 '{folder}'");
            }

            SafeFileHandle handle;
            try
            {
                handle = NativeMethods.OpenNoFollow(_path, write: false);
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                var link = NativeMethods.LinkStatus(_path);
                if (link != null && !link.Value.IsRegularFile) throw InsecureFile("it is " + link.Value.TypeName);
                throw new JiraException(JiraErrorId.TokenCacheUnreadable, JiraErrorKind.InvalidOperation,
                    $"The token cache '{_path}' cannot be opened ({e.Message}).", _path,
                    "Check the file's permissions, or delete it and run Invoke-JiraOAuthConsent again.", e);
            }
            if (handle == null) return null;
            using (handle)
            {
                var status = NativeMethods.HandleStatus(handle);
                if (!status.IsRegularFile) throw InsecureFile("it is " + status.TypeName);
                uint me = NativeMethods.EffectiveUserId;
                if (status.Uid != me) throw InsecureFile($"it belongs to user id {status.Uid}, not to you (user id {me})");
                if ((status.Permissions & 0x3F) != 0) throw InsecureFile($"other users may read or change it (mode {Octal(status.Permissions)})", $"chmod 600 '{_path}'");
                using (var stream = new FileStream(handle, FileAccess.Read, 1))
                    return ReadAtMost(stream);
            }
        }

        private byte[] ReadAtMost(Stream stream)
        {
            var buffer = new byte[16 * 1024];
            using (var memory = new MemoryStream())
            {
                int read;
                while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    if (memory.Length + read > MaxBytes)
                    {
                        Array.Clear(memory.GetBuffer(), 0, (int)memory.Length);
                        throw new JiraException(JiraErrorId.TokenCacheUnreadable, JiraErrorKind.InvalidOperation,
                            $"The token cache '{_path}' is larger than {MaxBytes / 1024} KiB, so it is not a JiraConnect token cache.", _path,
                            "Delete it (or pass another -TokenCachePath) and run Invoke-JiraOAuthConsent again.");
                    }
                    memory.Write(buffer, 0, read);
                }
                Array.Clear(buffer, 0, buffer.Length);
                var bytes = memory.ToArray();
                Array.Clear(memory.GetBuffer(), 0, (int)memory.Length);
                return bytes;
            }
        }

        private static string Octal(int mode) => "0" + Convert.ToString(mode & 0xFFF, 8);

        private JiraException InsecureFile(string why, string fix = null) =>
            new JiraException(JiraErrorId.TokenCacheInsecure, JiraErrorKind.Security,
                $"Refusing to use the token cache '{_path}': {why}. A cache must be a regular file that only you can read and write.", _path,
                (fix != null ? $"If you created it yourself, run {fix}; otherwise delete" : "Delete") + $" '{_path}' and run Invoke-JiraOAuthConsent again to consent anew.");
    }
}
