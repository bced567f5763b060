#!/usr/bin/env bash
# Make a built one-folder app double-clickable on a Linux desktop (for this user only):
# the desktop file (Exec = the bundle's launcher), the icons and the AppStream metadata go
# into ~/.local/share (or $XDG_DATA_HOME). Nothing is copied out of the bundle itself, so
# move the bundle first, then run this.
#
#   packaging/linux/install-desktop.sh [BUNDLE_DIR]     default: dist/report-explorer
#   packaging/linux/install-desktop.sh --uninstall
set -euo pipefail

APP_ID=io.github.report_explorer.ReportExplorer
EXE=explorer
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

refresh() {
  command -v update-desktop-database >/dev/null && update-desktop-database -q "$DATA/applications" || true
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$DATA/icons/hicolor" || true
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$DATA/applications/$APP_ID.desktop" "$DATA/metainfo/$APP_ID.metainfo.xml" \
        "$DATA"/icons/hicolor/*/apps/"$APP_ID".png "$DATA/icons/hicolor/scalable/apps/$APP_ID.svg"
  refresh
  echo "install-desktop: removed $APP_ID from $DATA"
  exit 0
fi
case ${1:-} in -*) echo "usage: $0 [BUNDLE_DIR] | --uninstall" >&2; exit 2 ;; esac

bundle=$(cd "${1:-$here/../../dist/report-explorer}" 2>/dev/null && pwd) || {
  echo "install-desktop: no bundle at ${1:-dist/report-explorer}; build it: python -m explorer.build" >&2
  exit 1
}
[ -x "$bundle/$EXE" ] || { echo "install-desktop: $bundle/$EXE is not an executable" >&2; exit 1; }
# The files ship inside the bundle (package data), so the script also works on a copy of
# the bundle without the source tree.
res=$bundle/_internal/explorer/resources
[ -d "$res/desktop" ] || res=$here/../../resources
[ -f "$res/desktop/$APP_ID.desktop" ] || { echo "install-desktop: no $APP_ID.desktop in $res/desktop" >&2; exit 1; }

# Exec: the path quoted, with \ " ` $ escaped, and each backslash doubled again for the
# desktop file's own string escapes (Desktop Entry Specification, "The Exec key").
quoted=$(printf '%s' "$bundle/$EXE" | sed -e 's/[\\"`$]/\\&/g' -e 's/\\/\\\\/g')
mkdir -p "$DATA/applications" "$DATA/metainfo" "$DATA/icons/hicolor/scalable/apps"
while IFS= read -r line; do
  case $line in
    Exec=*) printf 'Exec="%s"\n' "$quoted" ;;
    TryExec=*) printf 'TryExec=%s\n' "$(printf '%s' "$bundle/$EXE" | sed 's/\\/\\\\/g')" ;;
    *) printf '%s\n' "$line" ;;
  esac
done < "$res/desktop/$APP_ID.desktop" > "$DATA/applications/$APP_ID.desktop"
cp "$res/desktop/$APP_ID.metainfo.xml" "$DATA/metainfo/"
cp -r "$res/desktop/icons/hicolor/." "$DATA/icons/hicolor/"
cp "$res/report-explorer.svg" "$DATA/icons/hicolor/scalable/apps/$APP_ID.svg"
refresh
echo "install-desktop: Report Explorer ($bundle/$EXE) installed in $DATA/applications"
