package dev.familiar.grandpa.testkit.standin;

/** The "model" behind a stand-in server: decides the reply to each chat call. */
@FunctionalInterface
public interface Responder {
    Reply answer(ChatCall call);
}
