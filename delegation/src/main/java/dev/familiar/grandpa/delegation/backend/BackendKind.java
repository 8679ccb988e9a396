package dev.familiar.grandpa.delegation.backend;

public enum BackendKind {
    /** An OpenAI-compatible chat endpoint: llama-server, vLLM, Ollama, LM Studio, a hosted API. */
    OPENAI,
    /** A command-line coding agent (aider, codex, claude, …) run with the prompt on standard input. */
    CLI
}
