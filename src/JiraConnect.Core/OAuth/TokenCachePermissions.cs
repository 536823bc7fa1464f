using System;
using System.IO;
using JiraConnect.Security;
using Microsoft.Win32.SafeHandles;

namespace JiraConnect.OAuth
{
    /// <summary>
    /// Owner-only permissions for the cache's folder, file and lock file (mode 0700 and 0600 on Linux and macOS; nothing
    /// to do under DPAPI). A file system that refuses them stops the write unless plain text was allowed.
    /// </summary>
    internal sealed class TokenCachePermissions
    {
        private const int FileMode600 = 0x180;
        private const int FolderMode700 = 0x1C0;

        private readonly string _cachePath;
        private readonly bool _ownerOnly;
        private readonly bool _allowPlainText;

        internal TokenCachePermissions(string cachePath, bool ownerOnly, bool allowPlainText)
        {
            _cachePath = cachePath;
            _ownerOnly = ownerOnly;
            _allowPlainText = allowPlainText;
        }

        internal void EnsureFolder(string folder)
        {
            if (Directory.Exists(folder)) return;
            Directory.CreateDirectory(folder);
            // Folders this cache creates are the user's alone; existing folders are left as they are.
            Restrict(folder, FolderMode700);
        }

        /// <summary>0600 on the open file itself (fchmod), so a link swapped in at the path changes nothing else.</summary>
        internal void Restrict(SafeFileHandle handle)
        {
            if (!_ownerOnly) return;
            Restricting(() => NativeMethods.SetUnixMode(handle, FileMode600));
        }

        private void Restrict(string path, int mode)
        {
            if (!_ownerOnly) return;
            Restricting(() => NativeMethods.SetUnixMode(path, mode));
        }

        private void Restricting(Action restrict)
        {
            try
            {
                restrict();
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception || e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                if (_allowPlainText) return;
                throw Insecure(_cachePath, "the file system refused owner-only permissions (" + e.Message + ")");
            }
        }

        internal static JiraException Insecure(string path, string why) =>
            new JiraException(JiraErrorId.TokenCacheInsecure, JiraErrorKind.Security,
                $"Refusing to write the OAuth tokens to '{path}' as plain text: {why}.", path,
                "Keep the cache on a local disk of Windows, Linux or macOS, leave out the token cache, or add -AllowPlainTextTokenCache if the folder is protected by other means.");
    }
}
