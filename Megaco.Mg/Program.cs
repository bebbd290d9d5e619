using Megaco.Mg.Cli;

namespace Megaco.Mg;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "decode")
        {
            using var stdout = Console.OpenStandardOutput();
            return DecodeCommand.Run(args[1..], Console.In, stdout, Console.Error);
        }
        return 0;
    }
}
