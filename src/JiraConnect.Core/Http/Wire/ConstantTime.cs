namespace JiraConnect.Http.Wire
{
    /// <summary>Comparisons of secrets whose time depends only on the lengths, never on where the values differ.</summary>
    internal static class ConstantTime
    {
        public static bool AreEqual(byte[] left, byte[] right)
        {
            if (left == null || right == null) return false;
            int difference = left.Length ^ right.Length;
            int length = System.Math.Min(left.Length, right.Length);
            for (int i = 0; i < length; i++) difference |= left[i] ^ right[i];
            return difference == 0;
        }

        public static bool AreEqual(string left, string right)
        {
            if (left == null || right == null) return false;
            int difference = left.Length ^ right.Length;
            int length = System.Math.Min(left.Length, right.Length);
            for (int i = 0; i < length; i++) difference |= left[i] ^ right[i];
            return difference == 0;
        }
    }
}
