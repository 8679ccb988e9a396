package dev.familiar.grandpa.runtime.launch;

import java.util.ArrayList;
import java.util.List;

/**
 * Running the server in a container, the seed's way ({@code podman run --rm --device nvidia.com/gpu=all
 * -p 8000:8000 -v <models>:/models:ro,Z <image> -m /models/... }): the image's entry point is
 * {@code llama-server}, so the server's arguments follow the image.
 *
 * @param engine      {@code podman} or {@code docker}
 * @param modelsDir   the host directory with the models, mounted read-only at {@code mountPoint}
 */
public record ContainerOptions(String engine, String image, String name, List<String> devices, String modelsDir,
                               String mountPoint, int port) {

    public ContainerOptions {
        devices = devices == null ? List.of() : List.copyOf(devices);
    }

    /**
     * The container command for a server command line (whose first element, the executable, is
     * dropped). A container left running by a killed {@code run} would block the restart under its
     * name: podman replaces it ({@code --replace}); docker has no such flag, so its command first
     * removes it, then becomes {@code docker run} ({@code sh -c '"$1" rm -f "$2"; shift 2; exec "$@"'}).
     */
    public List<String> wrap(List<String> server) {
        var args = new ArrayList<String>();
        if (!engine.endsWith("podman")) {
            args.addAll(List.of("sh", "-c", "\"$1\" rm -f \"$2\" >/dev/null 2>&1; shift 2; exec \"$@\"", "sh", engine, name));
        }
        args.addAll(List.of(engine, "run", "--rm", "--name", name));
        if (engine.endsWith("podman")) {
            args.add("--replace");
        }
        for (String device : devices) {
            args.addAll(List.of("--device", device));
        }
        args.addAll(List.of("-p", port + ":" + port, "--cap-add=SYS_NICE"));
        args.addAll(List.of("-v", modelsDir + ":" + mountPoint + ":ro,Z", image));
        for (String arg : server.subList(1, server.size())) {
            // the model's host path, seen from inside the container
            args.add(arg.startsWith(modelsDir + "/") ? mountPoint + arg.substring(modelsDir.length()) : arg);
        }
        return args;
    }
}
