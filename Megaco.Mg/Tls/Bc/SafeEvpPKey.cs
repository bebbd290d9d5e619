using Microsoft.Win32.SafeHandles;

namespace Megaco.Mg.Tls;

/// <summary>An OpenSSL EVP_PKEY, freed when released (<see cref="LibCrypto"/>).</summary>
internal sealed class SafeEvpPKey : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeEvpPKey()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        LibCrypto.EVP_PKEY_free(handle);
        return true;
    }
}
