namespace Megaco.TestSupport;

/// <summary>What an external tool run by <see cref="ExternalTool"/> printed and how it exited.</summary>
public sealed record ToolResult(int ExitCode, string StdOut, string StdErr);
