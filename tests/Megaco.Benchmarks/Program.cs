using BenchmarkDotNet.Running;
using Megaco.Benchmarks;

if (args.Length > 0 && RelayTool.Handles(args[0]))
{
    return await RelayTool.RunAsync(args);
}
if (args.Length > 0 && TlsTool.Handles(args[0]))
{
    return await TlsTool.RunAsync(args);
}
if (args.Length > 0 && ControlLoadTool.Handles(args[0]))
{
    return await ControlLoadTool.RunAsync(args);
}
if (args.Length > 0 && DecodeCpuTool.Handles(args[0]))
{
    return DecodeCpuTool.Run(args);
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
