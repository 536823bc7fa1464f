using System;
using System.Runtime.InteropServices;
using System.Security;

namespace JiraConnect.Security
{
    /// <summary>Unwraps a SecureString only for the moment a value is needed.</summary>
    internal static class SecureStringExtensions
    {
        public static T Use<T>(this SecureString secret, Func<string, T> use)
        {
            if (secret == null) throw new ArgumentNullException(nameof(secret));
            IntPtr ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(secret);
                return use(Marshal.PtrToStringUni(ptr) ?? string.Empty);
            }
            finally
            {
                if (ptr != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }

        public static bool IsEmpty(this SecureString secret) => secret == null || secret.Length == 0;

        /// <summary>Wraps a value just received from a server; the caller drops its string at once.</summary>
        public static SecureString ToSecureString(this string value)
        {
            var secure = new SecureString();
            foreach (char c in value ?? string.Empty) secure.AppendChar(c);
            return secure;
        }
    }
}
