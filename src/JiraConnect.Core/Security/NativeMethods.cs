using System;
using System.ComponentModel;
using System.Runtime.InteropServices;

namespace JiraConnect.Security
{
    /// <summary>
    /// DPAPI (CryptProtectData, current user) on Windows and chmod on Linux and macOS, by P/Invoke so that the module
    /// needs no extra assembly on either edition of PowerShell.
    /// </summary>
    internal static class NativeMethods
    {
        private const int CryptProtectUiForbidden = 0x1;
        private static readonly byte[] Entropy = System.Text.Encoding.UTF8.GetBytes("JiraConnect.TokenCache.v1");

        public static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        public static bool IsUnix => RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX);

        public static byte[] Protect(byte[] data) => Crypt(data, protect: true);

        public static byte[] Unprotect(byte[] data) => Crypt(data, protect: false);

        /// <summary>Sets a file's mode (0600, 0700); throws when the file system refuses.</summary>
        public static void SetUnixMode(string path, int mode)
        {
            if (chmod(path, (uint)mode) != 0)
                throw new Win32Exception(Marshal.GetLastWin32Error(), "chmod failed for " + path);
        }

        private static byte[] Crypt(byte[] data, bool protect)
        {
            var input = new DataBlob();
            var entropy = new DataBlob();
            var output = new DataBlob();
            var handles = new[] { GCHandle.Alloc(data, GCHandleType.Pinned), GCHandle.Alloc(Entropy, GCHandleType.Pinned) };
            try
            {
                input.cbData = data.Length;
                input.pbData = handles[0].AddrOfPinnedObject();
                entropy.cbData = Entropy.Length;
                entropy.pbData = handles[1].AddrOfPinnedObject();
                bool ok = protect
                    ? CryptProtectData(ref input, null, ref entropy, IntPtr.Zero, IntPtr.Zero, CryptProtectUiForbidden, ref output)
                    : CryptUnprotectData(ref input, IntPtr.Zero, ref entropy, IntPtr.Zero, IntPtr.Zero, CryptProtectUiForbidden, ref output);
                if (!ok) throw new Win32Exception(Marshal.GetLastWin32Error());
                var result = new byte[output.cbData];
                Marshal.Copy(output.pbData, result, 0, output.cbData);
                return result;
            }
            finally
            {
                foreach (var handle in handles) handle.Free();
                if (output.pbData != IntPtr.Zero)
                {
                    for (int i = 0; i < output.cbData; i++) Marshal.WriteByte(output.pbData, i, 0);
                    LocalFree(output.pbData);
                }
            }
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct DataBlob
        {
            public int cbData;
            public IntPtr pbData;
        }

        [DllImport("crypt32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
        private static extern bool CryptProtectData(ref DataBlob dataIn, string description, ref DataBlob entropy, IntPtr reserved, IntPtr prompt, int flags, ref DataBlob dataOut);

        [DllImport("crypt32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
        private static extern bool CryptUnprotectData(ref DataBlob dataIn, IntPtr description, ref DataBlob entropy, IntPtr reserved, IntPtr prompt, int flags, ref DataBlob dataOut);

        [DllImport("kernel32.dll")]
        private static extern IntPtr LocalFree(IntPtr handle);

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi)]
        private static extern int chmod(string path, uint mode);
    }
}
