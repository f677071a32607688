using System.Text;
using Microsoft.AspNetCore.Http;
using SfAi.Api.Pipeline;
using SfAi.Core.Errors;

namespace SfAi.Api.Tests.ChatCompletions;

/// <summary>
/// How the body reader names a body that ends early. Kestrel reports it either as the request aborted or, when it notices
/// the end of the body first, as a 400 <see cref="BadHttpRequestException"/>; a socket cannot choose which, so this
/// test feeds the reader the second directly.
/// </summary>
public sealed class RequestBodyReaderTests
{
    [Fact]
    public async Task A_body_that_ends_before_its_Content_Length_is_the_client_hanging_up_not_a_bad_request()
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = 100;
        context.Request.Body = new EndsEarly(Encoding.UTF8.GetBytes("""{"model":"""));

        var error = await Assert.ThrowsAsync<GatewayException>(() => RequestBodyReader.ReadJsonAsync(context, 1000));

        Assert.Equal((499, "client_closed"), (error.Error.Status, error.Error.Type));
        Assert.Contains("9 of the 100 bytes", error.Error.Message, StringComparison.Ordinal);
    }

    /// <summary>A request body as Kestrel's reads it when the connection ends early: the bytes sent, then its 400.</summary>
    private sealed class EndsEarly(byte[] sent) : Stream
    {
        private bool _given;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_given)
            {
                throw new BadHttpRequestException("Unexpected end of request content.", StatusCodes.Status400BadRequest);
            }
            _given = true;
            sent.CopyTo(buffer);
            return ValueTask.FromResult(sent.Length);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
