package dev.familiar.grandpa.runtime.session;

/**
 * grandpa's model answered, but not in the form asked (a verdict outside its schema, say): not a
 * reason to wait for the model, but a failed step, tried again a bounded number of times.
 */
public class ModelAnswerException extends RuntimeException {
    public ModelAnswerException(String message) {
        super(message);
    }
}
