; Inno Setup 6 script: the Windows installer of BranchDesk, per-user, in Simplified Chinese.
;
;   iscc /DAppVersion=0.1.0 /DBundle=..\..\dist\branchdesk /DIconFile=..\..\build\branchdesk\icons\branchdesk.ico packaging\windows\branchdesk.iss
;
; .github/workflows/windows-installer.yml passes the version from pyproject.toml and the PyInstaller output.
; The data lives in the per-user data folder (platformdirs: %LOCALAPPDATA%\BranchDesk), never in {app}:
; upgrades keep it, and uninstalling removes it only when the user says so.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef Bundle
  #define Bundle "..\..\dist\branchdesk"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\branchdesk\icons\branchdesk.ico"
#endif

[Setup]
AppId={{6D1E2A53-6C1B-4F0E-9C3B-7B2A4E0D5B61}
AppName=党支部工作台
AppVersion={#AppVersion}
AppVerName=党支部工作台 {#AppVersion}
AppPublisher=BranchDesk
DefaultDirName={autopf}\BranchDesk
DefaultGroupName=党支部工作台
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=BranchDesk-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\branchdesk.exe
UninstallDisplayName=党支部工作台
VersionInfoVersion={#AppVersion}
VersionInfoProductName=党支部工作台
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no

[Languages]
; Default.isl first: any message a newer Inno Setup adds and this file lacks falls back to English.
Name: "chs"; MessagesFile: "compiler:Default.isl,ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the program files; the bundled libraries of the old version must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\党支部工作台"; Filename: "{app}\branchdesk.exe"; WorkingDir: "{app}"
Name: "{autodesktop}\党支部工作台"; Filename: "{app}\branchdesk.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\branchdesk.exe"; Description: "{cm:LaunchProgram,党支部工作台}"; Flags: nowait postinstall skipifsilent

[Code]
{ The data folder of platformdirs.user_data_dir("BranchDesk", appauthor=False) on Windows. }
function DataDir(): String;
begin
  Result := ExpandConstant('{localappdata}\BranchDesk');
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and DirExists(DataDir()) and not UninstallSilent() then
    if MsgBox('是否同时删除党支部工作台的数据（台账数据库和备份）？' + #13#10 + #13#10 + DataDir() + #13#10 + #13#10 +
              '选择“否”将保留数据，重新安装后可继续使用。', mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
      DelTree(DataDir(), True, True, True);
end;
