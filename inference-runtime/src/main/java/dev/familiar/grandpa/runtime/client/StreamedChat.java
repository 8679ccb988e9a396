package dev.familiar.grandpa.runtime.client;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** A streamed chat call waited on by its caller, for those who want the whole answer and its first-token time. */
public final class StreamedChat {
    /** The longest answer taken by default: far past any real answer's tokens, short of filling memory. */
    public static final int MAX_CHARS = 8 << 20;
    /** @param firstTokenMs from the call to its first token (of reasoning or of the answer), or -1 when none came */
    public record Answer(ChatResponse response, long firstTokenMs) {}

    private StreamedChat() {
    }

    /** Thrown when the whole answer did not come within the call's time; the stream was cancelled. */
    public static final class NoWholeAnswerInTime extends RuntimeException {
        NoWholeAnswerInTime(Duration timeout) {
            super("no whole answer within " + timeout.toMillis() + " ms", new TimeoutException());
        }
    }

    /**
     * Streams the request, passing each non-empty piece of the answer on as it comes, and waits for the
     * whole answer, at most {@code timeout}: a stream that is still going then is cancelled, so no call
     * holds its caller longer than that. When the caller is interrupted, the stream is cancelled too.
     *
     * @throws InterruptedException when interrupted while waiting
     * @throws NoWholeAnswerInTime  when the answer was not complete within the timeout
     * @throws RuntimeException     what the model reported as the call's error
     */
    public static Answer call(StreamingChatModel model, ChatRequest request, Consumer<String> pieces, Duration timeout)
            throws InterruptedException {
        return call(model, request, pieces, timeout, MAX_CHARS);
    }

    /**
     * As {@link #call(StreamingChatModel, ChatRequest, Consumer, Duration)}, and an answer that grows past
     * {@code maxChars} (a server that ignores {@code max_tokens}, or a hostile one) is cut there: the stream
     * is cancelled and the answer so far comes back as cut off for length.
     */
    public static Answer call(StreamingChatModel model, ChatRequest request, Consumer<String> pieces, Duration timeout,
                              int maxChars) throws InterruptedException {
        long start = System.nanoTime();
        var text = new StringBuilder();
        var done = new CompletableFuture<ChatResponse>();
        var firstToken = new AtomicLong(-1);
        var handle = new AtomicReference<StreamingHandle>();
        // on a thread of its own: a model whose chat() streams in the calling thread cannot hold the caller
        Thread streaming = Thread.ofVirtual().name("streamed-chat").start(() -> model.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                firstToken.compareAndSet(-1, System.nanoTime());
                handle.set(context.streamingHandle());
                if (done.isDone()) {
                    context.streamingHandle().cancel();
                } else if (partial.text() != null && !partial.text().isEmpty()) {
                    String piece = partial.text();
                    if (text.length() + piece.length() > maxChars) {
                        piece = piece.substring(0, maxChars - text.length());
                        text.append(piece);
                        pieces.accept(piece);
                        context.streamingHandle().cancel();
                        done.complete(ChatResponse.builder().aiMessage(AiMessage.from(text.toString()))
                                .finishReason(FinishReason.LENGTH).build());
                        return;
                    }
                    text.append(piece);
                    pieces.accept(piece);
                }
            }

            @Override
            public void onPartialThinking(PartialThinking partial, PartialThinkingContext context) {
                firstToken.compareAndSet(-1, System.nanoTime());
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        }));
        try {
            ChatResponse response = done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            long first = firstToken.get();
            return new Answer(response, first < 0 ? -1 : (first - start) / 1_000_000);
        } catch (InterruptedException e) {
            cancel(done, handle.get(), streaming);
            throw e;
        } catch (TimeoutException e) {
            cancel(done, handle.get(), streaming);
            throw new NoWholeAnswerInTime(timeout);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    private static void cancel(CompletableFuture<ChatResponse> done, StreamingHandle handle, Thread streaming) {
        done.cancel(true);
        if (handle != null) {
            handle.cancel();
        }
        streaming.interrupt();
    }
}
