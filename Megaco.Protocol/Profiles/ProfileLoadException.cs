namespace Megaco.Protocol.Profiles;

/// <summary>A profile or package file that must not be used: names the file, the JSON path of the item, and the fault.</summary>
public sealed class ProfileLoadException : Exception
{
    public ProfileLoadException(string file, string path, string fault)
        : base(file + ": " + path + ": " + fault)
    {
        File = file;
        JsonPath = path;
        Fault = fault;
    }

    public string File { get; }

    public string JsonPath { get; }

    public string Fault { get; }
}
