-- SPDX-License-Identifier: GPL-2.0-or-later
-- Loaded into Wireshark's GUI by bench/gui-load.sh: when the taps are drawn after the last
-- frame of the file was dissected, writes the frame count to $SS_STAMP and quits, so the
-- process's wall time is the time to open the file and finish its first pass. The listener
-- filters on the last frame number: Wireshark builds a tree for every frame in its first
-- pass anyway (colouring), so it adds no per-packet Lua call.
local last = tonumber(os.getenv("SS_FRAMES") or "0")
local done = false
local tap = Listener.new("frame", "frame.number == " .. last)
function tap.packet(pinfo) done = true end
function tap.draw()
    if done then
        local f = io.open(os.getenv("SS_STAMP"), "w")
        f:write(string.format("%d\n", last))
        f:close()
        os.exit(0)
    end
end
