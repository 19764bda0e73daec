using System.Runtime.CompilerServices;

namespace Cascoin.L2.Crypto;

/// <summary>33 bytes stored inline, so a <see cref="PublicKey"/> is a plain value with no array behind it.</summary>
[InlineArray(Secp256k1Format.CompressedPublicKeySize)]
internal struct Buffer33
{
    private byte _element0;
}

/// <summary>65 bytes stored inline, for <see cref="RecoverableSignature"/>.</summary>
[InlineArray(Secp256k1Format.RecoverableSignatureSize)]
internal struct Buffer65
{
    private byte _element0;
}
