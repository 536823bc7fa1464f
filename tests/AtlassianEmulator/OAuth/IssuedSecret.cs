namespace AtlassianEmulator;

/// <summary>A secret the authorization server issued, for tests that search output for leaks.</summary>
public sealed record IssuedSecret(string Kind, string Value, string Status);
